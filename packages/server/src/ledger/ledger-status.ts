// The ledger's status for operators: chain, contract, head (asked live, briefly) and backlog.
import { count, eq, isNotNull, isNull, ne, or } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { ledgerBatches, ledgerOutbox } from '../db/schema/index.js';
import type { LedgerStatus } from '../generated/schemas.js';
import type { Ledger } from './ledger-runtime.js';

export async function getLedgerStatus(db: Db, ledger: Ledger): Promise<LedgerStatus> {
  const [[unbatched], [unconfirmed], byStatus, [reanchored], head] = await Promise.all([
    db.select({ n: count() }).from(ledgerOutbox).where(isNull(ledgerOutbox.batchId)),
    db
      .select({ n: count() })
      .from(ledgerOutbox)
      .leftJoin(ledgerBatches, eq(ledgerBatches.id, ledgerOutbox.batchId))
      .where(or(isNull(ledgerOutbox.batchId), ne(ledgerBatches.status, 'confirmed'))),
    db.select({ status: ledgerBatches.status, n: count() }).from(ledgerBatches).groupBy(ledgerBatches.status),
    db.select({ n: count() }).from(ledgerBatches).where(isNotNull(ledgerBatches.lostAt)),
    ledger.chain ? ledger.chain.client.getBlockNumber({ cacheTime: 0 }).then(Number, () => null) : null,
  ]);
  const batches = (s: string) => byStatus.find((b) => b.status === s)?.n ?? 0;
  const info = ledger.info();
  const chainState = ledger.chainState();
  return {
    mode: info.mode,
    chainId: info.chainId,
    ledgerAddress: info.ledgerAddress,
    recorder: ledger.chain?.account.address ?? null,
    confirmations: ledger.chain?.confirmations ?? null,
    reachable: head !== null,
    head,
    lastError: ledger.worker?.lastError() ?? null,
    chainState: {
      state: chainState.state,
      detail: chainState.detail,
      checkedAt: chainState.checkedAt?.toISOString() ?? null,
      lostBatches: chainState.lostBatches,
      reanchoredBatches: reanchored!.n,
    },
    backlog: {
      events: unconfirmed!.n,
      unbatchedEvents: unbatched!.n,
      pendingBatches: batches('pending'),
      submittedBatches: batches('submitted'),
      failedBatches: batches('failed'),
    },
  };
}

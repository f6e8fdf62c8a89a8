// Helpers for ledger tests: audit events recorded straight into a database (the way every audited
// change records them), and waiting until the anchoring worker has confirmed them.

import { contractLedgerAbi } from '@cms/sdk/evm';
import { count, eq, isNull, ne, or } from 'drizzle-orm';
import type { Address, PublicClient } from 'viem';
import { recordEvent } from '../src/audit/record-event.js';
import type { Db } from '../src/db/database.js';
import { ledgerBatches, ledgerOutbox, organizations } from '../src/db/schema/index.js';
import { uuidv7 } from '../src/db/uuidv7.js';
import type { EventLedgerRecord } from '../src/ledger/ledger-records.js';
import { waitUntil as waitFor } from './support/wait-until.js';

export async function createOrganization(db: Db): Promise<string> {
  const id = uuidv7();
  await db.insert(organizations).values({ id, name: `org ${id}` });
  return id;
}

/** Records `n` events for `organizationId`, `perTransaction` per transaction; returns their ids. */
export async function recordEvents(
  db: Db,
  organizationId: string,
  n: number,
  o: { contractId?: string; perTransaction?: number } = {},
): Promise<string[]> {
  const ids: string[] = [];
  const per = o.perTransaction ?? 200;
  for (let done = 0; done < n; done += per) {
    await db.transaction(async (tx) => {
      for (let i = done; i < Math.min(n, done + per); i++) {
        const e = await recordEvent(tx, {
          organizationId,
          actorDid: 'did:key:z6MkTest',
          action: 'test.event',
          resource: { type: 'test', id: String(i) },
          data: { i },
          contractId: o.contractId,
        });
        ids.push(e.id);
      }
    });
  }
  return ids;
}

/** Events recorded but not yet in a confirmed batch. */
export async function backlog(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(ledgerOutbox)
    .leftJoin(ledgerBatches, eq(ledgerBatches.id, ledgerOutbox.batchId))
    .where(or(isNull(ledgerOutbox.batchId), ne(ledgerBatches.status, 'confirmed')));
  return row!.n;
}

/** Polls `check` until it holds (every 100 ms), failing after `timeoutMs`. */
export function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  return waitFor(check, { timeoutMs, what, intervalMs: 100 });
}

/** Checks each record's proof with the contract's own `verifyEvent`, through the given client. */
export async function verifyOnChain(
  client: PublicClient,
  ledger: Address,
  records: EventLedgerRecord[],
): Promise<boolean[]> {
  return Promise.all(
    records.map((r) =>
      client.readContract({
        address: ledger,
        abi: contractLedgerAbi,
        functionName: 'verifyEvent',
        args: [r.root as `0x${string}`, r.eventHash as `0x${string}`, r.proof as `0x${string}`[]],
      }),
    ),
  );
}

// Chain state loss: are the anchors this server confirmed still on the chain? Checked at start, after a
// chain restart or outage, when the head goes backwards and periodically. A root that vanished (the node
// lost its state, an anvil reset, a re-org deeper than the confirmations) sends its batch back to be
// anchored again with the same root and proofs; the lost anchor is kept in ledger_anchor_losses and
// proofs naming it are superseded by the new one. A ledger contract that is gone is redeployed on the
// embedded chain (every batch anchored on it is then anchored again); on an external chain nothing is
// anchored until an operator acts (state `ledger_missing`, see docs/ledger.md).
import { and, count, desc, eq, inArray, isNotNull, ne, type SQL, sql } from 'drizzle-orm';
import type { Address, Hex } from 'viem';
import type { Db } from '../../db/database.js';
import { ledgerAnchorLosses, ledgerBatches } from '../../db/schema/index.js';
import { uuidv7 } from '../../db/uuidv7.js';
import { findAnchorLog, type LedgerChain, readAnchor } from '../chain/ledger-chain.js';

export type ChainStateName = 'ok' | 'reanchoring' | 'ledger_missing';

export interface ChainCheck {
  state: ChainStateName;
  /** What was found; for `ledger_missing`, what the operator can do. */
  detail: string | null;
  /** Batches this check found lost and sent back to be anchored again. */
  lost: number;
  /** Batches lost at some point and not confirmed again yet (this check's and earlier ones'). */
  lostBatches: number;
}

export interface CheckOptions {
  /** How many of the most recently confirmed batches have their roots read. @default 200 */
  recent?: number;
}

export async function checkChainState(db: Db, chain: LedgerChain, o: CheckOptions = {}): Promise<ChainCheck> {
  const chainId = await chain.chainId();
  let lost = 0;
  const notes: string[] = [];
  if (!(await hasCode(chain, chain.ledgerAddress))) {
    if (!chain.redeploy) {
      return {
        state: 'ledger_missing',
        detail:
          `no ContractLedger code at ${chain.ledgerAddress} on chain ${chainId}: the node lost its state, is not the node the ledger was deployed on, ` +
          'or the contract was never deployed there. Nothing is anchored until CMS_CHAIN_RPC_URLS reaches a node that has it, or a new ledger is deployed ' +
          'and set as CMS_LEDGER_ADDRESS (every batch of the lost ledger is then anchored again on it).',
        lost: 0,
        lostBatches: await countLostBatches(db),
      };
    }
    const gone = chain.ledgerAddress;
    chain.ledgerAddress = await chain.redeploy();
    chain.nonces.reset();
    const n = await markLost(
      db,
      chain,
      eq(ledgerBatches.ledgerAddress, gone),
      `the chain lost the ledger contract at ${gone}; redeployed at ${chain.ledgerAddress}`,
    );
    lost += n;
    notes.push(`ledger contract redeployed at ${chain.ledgerAddress}; ${n} batches anchored again`);
  }
  // Ledgers this server used before on this chain (CMS_LEDGER_ADDRESS changed): if one is gone, its
  // batches are anchored again on the current ledger; if it is still there, its anchors still verify.
  const others = await db
    .selectDistinct({ address: ledgerBatches.ledgerAddress })
    .from(ledgerBatches)
    .where(and(eq(ledgerBatches.chainId, chainId), ne(ledgerBatches.ledgerAddress, chain.ledgerAddress)));
  for (const { address } of others) {
    if (await hasCode(chain, address as Address)) continue;
    const n = await markLost(
      db,
      chain,
      and(eq(ledgerBatches.chainId, chainId), eq(ledgerBatches.ledgerAddress, address))!,
      `the ledger contract at ${address} is gone from chain ${chainId}`,
    );
    lost += n;
    if (n) notes.push(`${n} batches of the gone ledger ${address} anchored again on ${chain.ledgerAddress}`);
  }
  const recent = await db
    .select({
      id: ledgerBatches.id,
      root: ledgerBatches.root,
      anchoredAt: ledgerBatches.anchoredAt,
      transactionHash: ledgerBatches.transactionHash,
    })
    .from(ledgerBatches)
    .where(and(eq(ledgerBatches.status, 'confirmed'), eq(ledgerBatches.ledgerAddress, chain.ledgerAddress)))
    .orderBy(desc(ledgerBatches.confirmedAt))
    .limit(o.recent ?? 200);
  const vanished: string[] = [];
  for (let i = 0; i < recent.length; i += 50) {
    const chunk = recent.slice(i, i + 50);
    const anchors = await Promise.all(chunk.map((b) => readAnchor(chain, b.root as Hex)));
    for (const [j, b] of chunk.entries()) {
      const onChain = anchors[j]!.anchoredAt;
      if (onChain === 0n) vanished.push(b.id);
      // Anchored again by another transaction (a re-org re-included it elsewhere): record where it is now.
      else if (b.anchoredAt && BigInt(Math.floor(b.anchoredAt.getTime() / 1000)) !== onChain)
        await follow(db, chain, b.id, b.root as Hex);
    }
  }
  if (vanished.length) {
    const n = await markLost(
      db,
      chain,
      inArray(ledgerBatches.id, vanished),
      'anchor no longer on chain (chain state lost, or a re-org deeper than the confirmations)',
    );
    lost += n;
    notes.push(`${n} confirmed roots vanished from the chain; anchored again`);
  }
  const lostBatches = await countLostBatches(db);
  return {
    state: lostBatches > 0 ? 'reanchoring' : 'ok',
    detail: notes.length ? notes.join('; ') : null,
    lost,
    lostBatches,
  };
}

/** Batches whose anchor vanished and that are not confirmed again yet. */
export async function countLostBatches(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(ledgerBatches)
    .where(and(isNotNull(ledgerBatches.lostAt), ne(ledgerBatches.status, 'confirmed')));
  return row!.n;
}

const hasCode = async (chain: LedgerChain, address: Address) =>
  ((await chain.client.getCode({ address })) ?? '0x') !== '0x';

/**
 * Sends the batches `where` selects back to `pending` on the current ledger, in one transaction that
 * locks them first (several instances may check at once: each loss is recorded once). Confirmed
 * batches keep their lost anchor in ledger_anchor_losses. Returns how many confirmed batches were lost.
 */
async function markLost(db: Db, chain: LedgerChain, where: SQL, reason: string): Promise<number> {
  const n = await db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(ledgerBatches)
      .where(and(where, inArray(ledgerBatches.status, ['pending', 'submitted', 'confirmed'])))
      .for('update');
    if (rows.length === 0) return 0;
    const now = new Date();
    const confirmed = rows.filter((b) => b.status === 'confirmed');
    if (confirmed.length) {
      await tx.insert(ledgerAnchorLosses).values(
        confirmed.map((b) => ({
          id: uuidv7(),
          batchId: b.id,
          chainId: b.chainId,
          ledgerAddress: b.ledgerAddress,
          transactionHash: b.transactionHash,
          blockNumber: b.blockNumber,
          anchoredAt: b.anchoredAt,
          reason,
          detectedAt: now,
        })),
      );
    }
    await tx
      .update(ledgerBatches)
      .set({
        status: 'pending',
        ledgerAddress: chain.ledgerAddress,
        transactionHash: null,
        blockNumber: null,
        blockHash: null,
        anchoredAt: null,
        confirmedAt: null,
        leaseOwner: null,
        leaseUntil: null,
        lastError: reason,
        // Marks the batch: its anchor vanished (pending and submitted ones were never handed out as confirmed).
        lostAt: sql`case when ${ledgerBatches.status} = 'confirmed' then ${now.toISOString()}::timestamptz else ${ledgerBatches.lostAt} end`,
      })
      .where(
        inArray(
          ledgerBatches.id,
          rows.map((b) => b.id),
        ),
      );
    return confirmed.length;
  });
  if (n) chain.nonces.reset();
  return n;
}

/** The root is anchored, but not by the transaction on record: record the one that did. */
async function follow(db: Db, chain: LedgerChain, batchId: string, root: Hex): Promise<void> {
  const log = await findAnchorLog(chain, root);
  if (!log) return;
  const block = await chain.client.getBlock({ blockHash: log.blockHash });
  await db
    .update(ledgerBatches)
    .set({
      transactionHash: log.transactionHash,
      blockNumber: Number(log.blockNumber),
      blockHash: log.blockHash,
      anchoredAt: new Date(Number(block.timestamp) * 1000),
    })
    .where(and(eq(ledgerBatches.id, batchId), eq(ledgerBatches.status, 'confirmed')));
}

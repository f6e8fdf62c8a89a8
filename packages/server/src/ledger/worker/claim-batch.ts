// Claims the oldest unbatched outbox rows into a new Merkle batch, in one transaction. Rows are locked
// FOR UPDATE SKIP LOCKED, so concurrent workers (any number of server instances) take disjoint rows and
// every event lands in exactly one batch.
import { asc, inArray, isNull, TransactionRollbackError } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { insertLedgerLeaves } from '../../db/ledger-leaves-bulk.js';
import { ledgerBatches, ledgerOutbox } from '../../db/schema/index.js';
import { uuidv7 } from '../../db/uuidv7.js';
import { buildMerkleBatch, type Hex } from '../merkle-batch.js';

export type LedgerBatchRow = typeof ledgerBatches.$inferSelect;

export interface ClaimOptions {
  batchSize: number;
  /** A batch smaller than `batchSize` is only claimed once its oldest event waited this long. */
  maxWaitMs: number;
  /** Claim whatever is waiting, however few (someone waits for an anchor). */
  force?: boolean;
  chainId: number;
  ledgerAddress: string;
  /** The new batch is leased to this worker for `leaseMs`, so it sends it itself. */
  workerId: string;
  leaseMs: number;
}

export async function claimBatch(db: Db, o: ClaimOptions): Promise<LedgerBatchRow | null> {
  return db.transaction(async (tx) => {
    const id = uuidv7();
    // One statement: lock the oldest unclaimed rows (skipping rows other workers hold) and mark them.
    const oldest = tx
      .select({ id: ledgerOutbox.id })
      .from(ledgerOutbox)
      .where(isNull(ledgerOutbox.batchId))
      .orderBy(asc(ledgerOutbox.id))
      .limit(o.batchSize)
      .for('update', { skipLocked: true });
    const rows = await tx
      .update(ledgerOutbox)
      .set({ batchId: id })
      .where(inArray(ledgerOutbox.id, oldest))
      .returning({ id: ledgerOutbox.id, auditEventId: ledgerOutbox.auditEventId, organizationId: ledgerOutbox.organizationId, eventHash: ledgerOutbox.eventHash, createdAt: ledgerOutbox.createdAt });
    if (rows.length === 0) return null;
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    if (!o.force && rows.length < o.batchSize && Date.now() - rows[0]!.createdAt.getTime() < o.maxWaitMs) {
      tx.rollback(); // not worth a transaction yet: give the rows back
    }
    const tree = await buildMerkleBatch(rows.map((r) => r.eventHash as Hex));
    const [batch] = await tx
      .insert(ledgerBatches)
      .values({
        id,
        chainId: o.chainId,
        ledgerAddress: o.ledgerAddress,
        root: tree.root,
        leafCount: rows.length,
        status: 'pending',
        leaseOwner: o.workerId,
        leaseUntil: new Date(Date.now() + o.leaseMs),
      })
      .returning();
    await insertLedgerLeaves(
      tx,
      id,
      rows.map((r, i) => ({ auditEventId: r.auditEventId, organizationId: r.organizationId, eventHash: r.eventHash, leaf: tree.leaves[i]!.leaf, proof: tree.leaves[i]!.proof })),
    );
    return batch!;
  }).catch((error) => {
    if (error instanceof TransactionRollbackError) return null;
    throw error;
  });
}

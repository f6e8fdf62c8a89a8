// Claims the oldest unbatched outbox rows into a new Merkle batch (whose id derives from its root), in
// one transaction. Rows are locked FOR UPDATE SKIP LOCKED, so concurrent workers (any number of server
// instances) take disjoint rows and every event lands in exactly one batch.
import { ledgerBatchIdOf } from '@cms/sdk';
import { asc, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { insertLedgerLeaves } from '../../db/ledger-leaves-bulk.js';
import { ledgerBatches, ledgerOutbox } from '../../db/schema/index.js';
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
  /** Called when rows wait but are not due yet (too few, too young): the worker must look again soon. */
  onNotDue?: () => void;
}

export async function claimBatch(db: Db, o: ClaimOptions): Promise<LedgerBatchRow | null> {
  return db.transaction(async (tx) => {
    // Lock the oldest unclaimed rows, skipping rows other workers hold.
    const rows = await tx
      .select({
        id: ledgerOutbox.id,
        auditEventId: ledgerOutbox.auditEventId,
        organizationId: ledgerOutbox.organizationId,
        eventHash: ledgerOutbox.eventHash,
        createdAt: ledgerOutbox.createdAt,
      })
      .from(ledgerOutbox)
      .where(isNull(ledgerOutbox.batchId))
      .orderBy(asc(ledgerOutbox.id))
      .limit(o.batchSize)
      .for('update', { skipLocked: true });
    if (rows.length === 0) return null;
    // Not worth a transaction yet: the locks go with this transaction, nothing was written.
    if (!o.force && rows.length < o.batchSize && Date.now() - rows[0]!.createdAt.getTime() < o.maxWaitMs) {
      o.onNotDue?.();
      return null;
    }
    const tree = await buildMerkleBatch(rows.map((r) => r.eventHash as Hex));
    // The id derives from the root, so whoever holds a proof can check which batch it names.
    const id = ledgerBatchIdOf(tree.root);
    await tx
      .update(ledgerOutbox)
      .set({ batchId: id })
      .where(
        inArray(
          ledgerOutbox.id,
          rows.map((r) => r.id),
        ),
      );
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
      rows.map((r, i) => ({
        auditEventId: r.auditEventId,
        organizationId: r.organizationId,
        eventHash: r.eventHash,
        leaf: tree.leaves[i]!.leaf,
        proof: tree.leaves[i]!.proof,
      })),
    );
    return batch!;
  });
}

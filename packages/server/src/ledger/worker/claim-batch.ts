// Claims the oldest unbatched outbox rows into a new Merkle batch, in one transaction. Rows are locked
// FOR UPDATE SKIP LOCKED, so concurrent workers (any number of server instances) take disjoint rows and
// every event lands in exactly one batch.
import { asc, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { ledgerBatches, ledgerLeaves, ledgerOutbox } from '../../db/schema/index.js';
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

const INSERT_CHUNK = 1000;

export async function claimBatch(db: Db, o: ClaimOptions): Promise<LedgerBatchRow | null> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: ledgerOutbox.id, auditEventId: ledgerOutbox.auditEventId, organizationId: ledgerOutbox.organizationId, eventHash: ledgerOutbox.eventHash, createdAt: ledgerOutbox.createdAt })
      .from(ledgerOutbox)
      .where(isNull(ledgerOutbox.batchId))
      .orderBy(asc(ledgerOutbox.id))
      .limit(o.batchSize)
      .for('update', { skipLocked: true });
    if (rows.length === 0) return null;
    if (!o.force && rows.length < o.batchSize && Date.now() - rows[0]!.createdAt.getTime() < o.maxWaitMs) return null;

    const tree = buildMerkleBatch(rows.map((r) => r.eventHash as Hex));
    const id = uuidv7();
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
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await tx.update(ledgerOutbox).set({ batchId: id }).where(inArray(ledgerOutbox.id, chunk.map((r) => r.id)));
      await tx.insert(ledgerLeaves).values(
        chunk.map((r, j) => {
          const { leaf, proof } = tree.leaves[i + j]!;
          return { auditEventId: r.auditEventId, organizationId: r.organizationId, batchId: id, eventHash: r.eventHash, leaf, proof };
        }),
      );
    }
    return batch!;
  });
}

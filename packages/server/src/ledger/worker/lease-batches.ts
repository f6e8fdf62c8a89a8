// Leases batches that still need work (sending, or waiting for confirmations) to one worker. A lease
// expires, so a batch whose worker died is picked up by another instance.
import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.js';
import { ledgerBatches } from '../../db/schema/index.js';
import type { LedgerBatchRow } from './claim-batch.js';

export async function leaseBatches(
  db: Db,
  o: { workerId: string; ledgerAddress: string; limit: number; leaseMs: number },
): Promise<LedgerBatchRow[]> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const ids = await tx
      .select({ id: ledgerBatches.id })
      .from(ledgerBatches)
      .where(
        and(
          inArray(ledgerBatches.status, ['pending', 'submitted']),
          eq(ledgerBatches.ledgerAddress, o.ledgerAddress),
          or(
            isNull(ledgerBatches.leaseUntil),
            lt(ledgerBatches.leaseUntil, now),
            eq(ledgerBatches.leaseOwner, o.workerId),
          ),
        ),
      )
      .orderBy(asc(ledgerBatches.createdAt))
      .limit(o.limit)
      .for('update', { skipLocked: true });
    if (ids.length === 0) return [];
    return tx
      .update(ledgerBatches)
      .set({ leaseOwner: o.workerId, leaseUntil: sql`now() + ${`${o.leaseMs} milliseconds`}::interval` })
      .where(
        inArray(
          ledgerBatches.id,
          ids.map((r) => r.id),
        ),
      )
      .returning();
  });
}

/** Updates a batch this worker holds, and gives the lease back; false when the lease was lost meanwhile. */
export async function updateLeasedBatch(
  db: Db | Tx,
  id: string,
  workerId: string,
  values: Partial<LedgerBatchRow>,
): Promise<boolean> {
  const updated = await db
    .update(ledgerBatches)
    .set({ ...values, leaseOwner: null, leaseUntil: null })
    .where(and(eq(ledgerBatches.id, id), eq(ledgerBatches.leaseOwner, workerId)))
    .returning({ id: ledgerBatches.id });
  return updated.length > 0;
}

import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { ledgerBatches } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { LedgerBatch } from '../generated/schemas.js';

/** One anchoring batch (batches span organizations; a root reveals nothing about its events). */
export async function getLedgerBatch(db: Db, batchId: string): Promise<LedgerBatch> {
  const [b] = await db.select().from(ledgerBatches).where(eq(ledgerBatches.id, batchId));
  if (!b) throw new AppError('not_found', 'No such batch.');
  const sent = b.status === 'submitted' || b.status === 'confirmed';
  return {
    id: b.id,
    status: b.status,
    root: b.root,
    leafCount: b.leafCount,
    chainId: b.chainId,
    ledgerAddress: b.ledgerAddress,
    transactionHash: sent ? b.transactionHash : null,
    blockNumber: sent ? b.blockNumber : null,
    anchoredAt: b.status === 'confirmed' ? (b.anchoredAt?.toISOString() ?? null) : null,
    attempts: b.attempts,
    lastError: b.lastError,
    createdAt: b.createdAt.toISOString(),
    confirmedAt: b.confirmedAt?.toISOString() ?? null,
  };
}

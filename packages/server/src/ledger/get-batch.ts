import { and, asc, eq, exists } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { ledgerAnchorLosses, ledgerBatches, ledgerLeaves } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { LedgerBatch } from '../generated/schemas.js';

/**
 * One anchoring batch, for an organization with at least one event in it. Batches span organizations;
 * their size, attempts, errors and timings say how busy the others are, so another tenant's batch is
 * `not_found` like a missing one.
 */
export async function getLedgerBatch(
  db: Db,
  batchId: string,
  { organizationId }: { organizationId: string },
): Promise<LedgerBatch> {
  const ownEvent = db
    .select({ batchId: ledgerLeaves.batchId })
    .from(ledgerLeaves)
    .where(and(eq(ledgerLeaves.batchId, batchId), eq(ledgerLeaves.organizationId, organizationId)));
  const [[b], losses] = await Promise.all([
    db
      .select()
      .from(ledgerBatches)
      .where(and(eq(ledgerBatches.id, batchId), exists(ownEvent))),
    db
      .select()
      .from(ledgerAnchorLosses)
      .where(eq(ledgerAnchorLosses.batchId, batchId))
      .orderBy(asc(ledgerAnchorLosses.detectedAt), asc(ledgerAnchorLosses.id)),
  ]);
  if (!b) throw new AppError('not_found', 'No such batch with an event of your organization.');
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
    lostAt: b.lostAt?.toISOString() ?? null,
    losses: losses.map((l) => ({
      chainId: l.chainId,
      ledgerAddress: l.ledgerAddress,
      transactionHash: l.transactionHash,
      blockNumber: l.blockNumber,
      anchoredAt: l.anchoredAt?.toISOString() ?? null,
      reason: l.reason,
      detectedAt: l.detectedAt.toISOString(),
    })),
  };
}

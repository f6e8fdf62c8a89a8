// Ledger status of contracts and events, for API responses: `pending` until the event's batch is sent,
// then the batch's status, transaction and block; proofs once the event is in a batch.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { ledgerBatches, ledgerLeaves, ledgerOutbox } from '../db/schema/index.js';
import type { LedgerBatchStatus } from '../db/schema/ledger.js';

export interface LedgerRecord {
  status: LedgerBatchStatus;
  batchId: string | null;
  transactionHash: string | null;
  blockNumber: number | null;
}

export interface EventLedgerRecord extends LedgerRecord {
  auditEventId: string;
  eventHash: string;
  chainId: number | null;
  ledgerAddress: string | null;
  /** Merkle root anchored on chain; null until the event is in a batch. */
  root: string | null;
  leaf: string | null;
  proof: string[] | null;
  anchoredAt: string | null;
}

/** The API view of a batch for one event: transaction and block only once sent. */
export const recordOf = (b: {
  status: LedgerBatchStatus | null;
  id: string | null;
  transactionHash: string | null;
  blockNumber: number | null;
}): LedgerRecord => ({
  status: b.status ?? 'pending',
  batchId: b.id,
  // A transaction hash is only meaningful once sent; a pending batch may carry a dropped one.
  transactionHash: b.status === 'submitted' || b.status === 'confirmed' ? b.transactionHash : null,
  blockNumber: b.status === 'submitted' || b.status === 'confirmed' ? b.blockNumber : null,
});

/**
 * The ledger status of each contract's latest anchored event, keyed by contract id. Contracts with no
 * event in the outbox are absent. The caller scopes `contractIds` to its tenant.
 */
export async function ledgerStatusByContract(
  db: Db,
  contractIds: readonly string[],
): Promise<Map<string, LedgerRecord>> {
  if (contractIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([ledgerOutbox.contractId], {
      contractId: ledgerOutbox.contractId,
      status: ledgerBatches.status,
      id: ledgerBatches.id,
      transactionHash: ledgerBatches.transactionHash,
      blockNumber: ledgerBatches.blockNumber,
    })
    .from(ledgerOutbox)
    .leftJoin(ledgerBatches, eq(ledgerBatches.id, ledgerOutbox.batchId))
    .where(inArray(ledgerOutbox.contractId, [...contractIds]))
    .orderBy(ledgerOutbox.contractId, desc(ledgerOutbox.id));
  return new Map(rows.map((r) => [r.contractId!, recordOf(r)]));
}

/**
 * Ledger status and Merkle proof of each event, keyed by audit event id; events never queued for
 * anchoring are absent. `organizationId` scopes the lookup to one tenant when given.
 */
export async function ledgerProofsForEvents(
  db: Db,
  auditEventIds: readonly string[],
  { organizationId }: { organizationId?: string } = {},
): Promise<Map<string, EventLedgerRecord>> {
  if (auditEventIds.length === 0) return new Map();
  const rows = await db
    .select({
      auditEventId: ledgerOutbox.auditEventId,
      eventHash: ledgerOutbox.eventHash,
      batch: ledgerBatches,
      leaf: ledgerLeaves.leaf,
      proof: ledgerLeaves.proof,
    })
    .from(ledgerOutbox)
    .leftJoin(ledgerBatches, eq(ledgerBatches.id, ledgerOutbox.batchId))
    .leftJoin(ledgerLeaves, eq(ledgerLeaves.auditEventId, ledgerOutbox.auditEventId))
    .where(
      and(
        inArray(ledgerOutbox.auditEventId, [...auditEventIds]),
        organizationId ? eq(ledgerOutbox.organizationId, organizationId) : undefined,
      ),
    );
  return new Map(
    rows.map((r) => [
      r.auditEventId,
      {
        auditEventId: r.auditEventId,
        eventHash: r.eventHash,
        ...recordOf({
          status: r.batch?.status ?? null,
          id: r.batch?.id ?? null,
          transactionHash: r.batch?.transactionHash ?? null,
          blockNumber: r.batch?.blockNumber ?? null,
        }),
        chainId: r.batch?.chainId ?? null,
        ledgerAddress: r.batch?.ledgerAddress ?? null,
        root: r.batch?.root ?? null,
        leaf: r.leaf,
        proof: r.proof,
        anchoredAt: r.batch?.status === 'confirmed' ? (r.batch.anchoredAt?.toISOString() ?? null) : null,
      },
    ]),
  );
}

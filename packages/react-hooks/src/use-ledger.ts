// Ledger reads beyond its status: one anchoring batch, and an audit event's Merkle proof.
import type { LedgerBatch, LedgerEventProof } from '@cms/sdk';
import type { UseQueryResult } from '@tanstack/react-query';
import { cmsKeys } from './query-keys.js';
import { type CmsQueryOptions, useCmsQuery } from './use-cms-query.js';

/** One anchoring batch: Merkle root, size, transaction. */
export function useLedgerBatch(
  batchId: string,
  options?: CmsQueryOptions<LedgerBatch>,
): UseQueryResult<LedgerBatch, Error> {
  return useCmsQuery(
    'useLedgerBatch',
    cmsKeys.ledgerBatch(batchId),
    (cms, signal) => cms.ledger.batch(batchId, { signal }),
    options,
  );
}

/**
 * An audit event's ledger status and Merkle proof (`status: 'pending'` with null proof until anchored); check
 * it on chain with `verifyAnchoredEvent` rather than trusting it.
 */
export function useLedgerEventProof(
  auditEventId: string,
  options?: CmsQueryOptions<LedgerEventProof>,
): UseQueryResult<LedgerEventProof, Error> {
  return useCmsQuery(
    'useLedgerEventProof',
    cmsKeys.ledgerEventProof(auditEventId),
    (cms, signal) => cms.ledger.eventProof(auditEventId, { signal }),
    options,
  );
}

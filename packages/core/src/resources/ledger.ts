// The ledger operations: where events are anchored, batches, and each event's Merkle proof. What the
// server says here is checked against the chain with `verifyAnchoredEvent`, never trusted as such.
import type { components } from '../generated/schema.js';
import type { RequestOptions } from '../transport/request-options.js';
import type { Api } from './api.js';

type S = components['schemas'];
export type LedgerStatus = S['LedgerStatus'];
export type LedgerBatch = S['LedgerBatch'];
export type LedgerEventProof = S['LedgerEventProof'];

export interface LedgerResources {
  /** The chain and contract events are anchored on, its head, and the backlog. */
  status(options?: RequestOptions): Promise<LedgerStatus>;
  /** One anchoring batch: root, size, transaction. */
  batch(batchId: string, options?: RequestOptions): Promise<LedgerBatch>;
  /** An audit event's ledger status and Merkle proof (events of your organization). */
  eventProof(auditEventId: string, options?: RequestOptions): Promise<LedgerEventProof>;
}

export function createLedgerResources({ raw, unwrap, call }: Api): LedgerResources {
  return {
    status: (options) => unwrap(raw.GET('/v1/ledger/status', call(options))),
    batch: (batchId, options) =>
      unwrap(raw.GET('/v1/ledger/batches/{batchId}', { params: { path: { batchId } }, ...call(options) })),
    eventProof: (auditEventId, options) =>
      unwrap(raw.GET('/v1/ledger/events/{auditEventId}', { params: { path: { auditEventId } }, ...call(options) })),
  };
}

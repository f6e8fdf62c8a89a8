// The ledger operations: where events are anchored, batches, and each event's Merkle proof. What the
// server says here is checked against the chain with `verifyAnchoredEvent`, never trusted as such.
import type { Client } from 'openapi-fetch';
import type { components, paths } from '../generated/schema.js';

type S = components['schemas'];
export type LedgerStatus = S['LedgerStatus'];
export type LedgerBatch = S['LedgerBatch'];
export type LedgerEventProof = S['LedgerEventProof'];

type Unwrap = <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>) => Promise<T>;

export interface LedgerResources {
  /** The chain and contract events are anchored on, its head, and the backlog. */
  status(): Promise<LedgerStatus>;
  /** One anchoring batch: root, size, transaction. */
  batch(batchId: string): Promise<LedgerBatch>;
  /** An audit event's ledger status and Merkle proof (events of your organization). */
  eventProof(auditEventId: string): Promise<LedgerEventProof>;
}

export function createLedgerResources(raw: Client<paths>, unwrap: Unwrap): LedgerResources {
  return {
    status: () => unwrap(raw.GET('/v1/ledger/status')),
    batch: (batchId) => unwrap(raw.GET('/v1/ledger/batches/{batchId}', { params: { path: { batchId } } })),
    eventProof: (auditEventId) => unwrap(raw.GET('/v1/ledger/events/{auditEventId}', { params: { path: { auditEventId } } })),
  };
}

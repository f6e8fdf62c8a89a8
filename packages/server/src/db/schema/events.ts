// Contract events for live streams (GET /v1/events): one row per change, written in the transaction of
// the change, so the table is the source of truth and pub/sub only wakes readers up. Writers take
// the event-order lock before inserting (db/contract-event-order.ts), so ids increase in commit order
// and a reader that follows `id` never passes over a row committed late.
import { bigserial, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';

export const contractEvents = pgTable(
  'contract_events',
  {
    /** The SSE event id; increases in commit order. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The contract's organization (the tenant); parties of other organizations see it through contract_parties. */
    // No foreign keys, on purpose: their checks take KEY SHARE row locks, and a writer holding the
    // event-order lock must never wait for a row lock (anchoring, which holds it, would deadlock with a
    // change to the same contract, which holds the contract row and waits for it). Rows are only
    // written next to the contract they name, in its transaction; contracts are never deleted.
    organizationId: uuid('organization_id').notNull(),
    /** Null for an organization's events about no contract (`webhook.disabled`), which only its members see. */
    contractId: uuid('contract_id'),
    /** `contract.created`, `contract.signed`, … (ContractEventType in the spec). */
    type: text('type').notNull(),
    /** Small: status, revision, actor; the ledger transaction for `contract.anchored`. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // A member's stream: the organization's events after an id.
    index('contract_events_org_id_idx').on(t.organizationId, t.id),
    // A party's stream (contracts found through contract_parties.did) and the contractId filter.
    index('contract_events_contract_id_idx').on(t.contractId, t.id),
    // Retention: deleting events older than a cut-off.
    index('contract_events_created_idx').on(t.createdAt),
  ],
);

// Contract events for live streams (GET /v1/events): one row per change, written in the transaction of
// the change, so the table is the source of truth and pub/sub only wakes readers up. Writers take
// the event-order lock before inserting (db/contract-event-order.ts), so ids increase in commit order
// and a reader that follows `id` never passes over a row committed late.
import { bigserial, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { contracts } from './contracts.js';
import { organizations } from './users.js';

export const contractEvents = pgTable(
  'contract_events',
  {
    /** The SSE event id; increases in commit order. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The contract's organization (the tenant); parties of other organizations see it through contract_parties. */
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    contractId: uuid('contract_id').notNull().references(() => contracts.id, { onDelete: 'cascade' }),
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

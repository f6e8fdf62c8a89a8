// Contract events for live streams (GET /v1/events): one row per change, written in the transaction of
// the change, so the table is the source of truth and pub/sub only wakes readers up.
import { sql } from 'drizzle-orm';
import { bigserial, customType, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { contracts } from './contracts.js';
import { organizations } from './users.js';

/**
 * PostgreSQL `xid8`, as a decimal string. Ids of a sequence are handed out at insert, not at commit,
 * so a reader that followed `id` alone could pass over a row whose transaction commits late; readers
 * follow (tx_id, id) instead and only take rows of transactions older than every running one.
 */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

export const contractEvents = pgTable(
  'contract_events',
  {
    /** The SSE event id. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The writing transaction (`pg_current_xact_id()`); see `xid8` above. */
    txId: xid8('tx_id').notNull().default(sql`pg_current_xact_id()`),
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
    // A member's stream: the organization's events in commit order.
    index('contract_events_org_tx_idx').on(t.organizationId, t.txId, t.id),
    // A party's stream (contracts found through contract_parties.did) and the contractId filter.
    index('contract_events_contract_tx_idx').on(t.contractId, t.txId, t.id),
    // The newest event at connect time, and retention by age.
    index('contract_events_tx_idx').on(t.txId, t.id),
    index('contract_events_created_idx').on(t.createdAt),
  ],
);

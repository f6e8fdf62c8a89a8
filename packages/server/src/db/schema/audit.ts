// Append-only, hash-chained audit events (one chain per organization) and the ledger outbox that
// carries each event's hash to the chain. Both are written in the transaction of the change they record.
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, timestamptz } from './columns.js';
import { organizations } from './users.js';

/** Head of each organization's audit chain; locked (FOR UPDATE) while an event is appended. */
export const auditChainHeads = pgTable('audit_chain_heads', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  headHash: text('head_hash').notNull(),
});

export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** Position in the organization's chain, from 1. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
    actorDid: text('actor_did').notNull(),
    action: text('action').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    /** `0x` + SHA-256 of the canonical event (see @cms/sdk computeAuditEventHash); anchored on chain. */
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_events_org_seq_key').on(t.organizationId, t.seq),
    index('audit_events_resource_idx').on(t.organizationId, t.resourceType, t.resourceId, t.seq),
    index('audit_events_org_occurred_idx').on(t.organizationId, t.occurredAt),
    index('audit_events_org_action_idx').on(t.organizationId, t.action, t.seq),
  ],
);

/**
 * Retention archives: the rows of one organization up to `through_seq` were exported (with a signed
 * manifest) to `location` before removal. Append-only like audit_events (migration 0018); a transaction
 * that names an archive (`SET LOCAL cms.audit_archive_id`) may delete exactly the rows it covers.
 */
export const auditArchives = pgTable(
  'audit_archives',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    throughSeq: bigint('through_seq', { mode: 'number' }).notNull(),
    /** Hash of the last archived event: the chain of the remaining rows continues from it. */
    throughHash: text('through_hash').notNull(),
    rowCount: bigint('row_count', { mode: 'number' }).notNull(),
    manifest: jsonb('manifest').$type<Record<string, unknown>>().notNull(),
    location: text('location').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('audit_archives_org_seq_key').on(t.organizationId, t.throughSeq)],
);

/** How long an organization keeps audit rows in the database before they may be archived. */
export const auditRetentionPolicies = pgTable('audit_retention_policies', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id),
  retentionDays: integer('retention_days').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/**
 * Events waiting to be anchored. The ledger worker claims rows with `batch_id IS NULL` using
 * FOR UPDATE SKIP LOCKED, so any number of server instances anchor each event exactly once.
 */
export const ledgerOutbox = pgTable(
  'ledger_outbox',
  {
    /** UUIDv7: claim order is creation order. */
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    auditEventId: uuid('audit_event_id')
      .notNull()
      .references(() => auditEvents.id),
    /** The bytes32 anchored as a Merkle leaf value: the audit event's hash. */
    eventHash: text('event_hash').notNull(),
    /** Contract the event concerns, when it concerns one (for per-contract ledger status). */
    contractId: uuid('contract_id'),
    createdAt: createdAt(),
    /** Set when the row is claimed into a batch. */
    batchId: uuid('batch_id'),
  },
  (t) => [
    uniqueIndex('ledger_outbox_event_key').on(t.auditEventId),
    index('ledger_outbox_unbatched_idx').on(t.id).where(sql`batch_id is null`),
    index('ledger_outbox_contract_idx').on(t.contractId),
  ],
);

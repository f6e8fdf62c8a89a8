// Contracts and their parties. Every row carries `organization_id`, the tenant boundary: every query
// on these tables filters by it.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, timestamptz } from './columns.js';
import { organizations } from './users.js';

export const contracts = pgTable(
  'contracts',
  {
    /** UUIDv7: time-ordered, so keyset pagination by id is creation order. */
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    title: text('title').notNull(),
    description: text('description'),
    terms: jsonb('terms').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    status: text('status', {
      enum: ['draft', 'pending', 'partially_signed', 'executed', 'declined', 'voided', 'expired', 'terminated'],
    }).notNull(),
    version: integer('version').notNull().default(1),
    contentHash: text('content_hash').notNull(),
    externalId: text('external_id'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    expiresAt: timestamptz('expires_at'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('contracts_org_id_idx').on(t.organizationId, t.id.desc()),
    index('contracts_org_status_id_idx').on(t.organizationId, t.status, t.id.desc()),
    index('contracts_org_external_id_idx').on(t.organizationId, t.externalId),
  ],
);

export const contractParties = pgTable(
  'contract_parties',
  {
    contractId: uuid('contract_id').notNull().references(() => contracts.id, { onDelete: 'cascade' }),
    /** Order in which the parties were listed; part of the contract's content. */
    position: integer('position').notNull(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    did: text('did').notNull(),
    role: text('role', { enum: ['signer', 'approver', 'viewer', 'cc'] }).notNull(),
    name: text('name'),
    signingOrder: integer('signing_order').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.contractId, t.position] }), index('contract_parties_did_idx').on(t.did)],
);

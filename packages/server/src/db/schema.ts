// The relational model. Every tenant-owned table carries `organization_id`, and every query on one
// filters by it (see contracts/*.ts): that column is the tenant boundary.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    did: text('did').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_did_key').on(t.did)],
);

export const memberships = pgTable(
  'memberships',
  {
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    role: text('role', { enum: ['owner', 'admin', 'member', 'auditor', 'viewer'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

/** Login challenges: single use (`used_at`), short-lived (`expires_at`). Only the nonce's hash is kept. */
export const authChallenges = pgTable(
  'auth_challenges',
  {
    nonceHash: text('nonce_hash').primaryKey(),
    did: text('did').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [index('auth_challenges_expires_idx').on(t.expiresAt)],
);

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
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
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

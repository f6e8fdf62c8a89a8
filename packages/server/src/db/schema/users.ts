// Organizations (the tenants), users keyed by DID, memberships with roles, login challenges.
import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, timestamptz } from './columns.js';

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
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('auth_challenges_expires_idx').on(t.expiresAt)],
);

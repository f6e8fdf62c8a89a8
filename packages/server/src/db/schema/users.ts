// Organizations (the tenants), users and the DIDs that identify them, memberships with roles, and
// invitations. Login challenges and sessions live in the key-value store (src/auth), not here.
import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, timestamptz } from './columns.js';

export const MEMBER_ROLES = ['owner', 'admin', 'member', 'auditor', 'viewer'] as const;
export const USER_KINDS = ['person', 'service'] as const;

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  /** `service`: an automation account created by an organization, member of that organization only. */
  kind: text('kind', { enum: USER_KINDS }).notNull().default('person'),
  /** A service account's name; people are known by their DIDs. */
  name: text('name'),
  createdAt: createdAt(),
});

/** The DIDs a user logs in with: one user has several, a DID belongs to one user. */
export const userDids = pgTable(
  'user_dids',
  {
    did: text('did').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('user_dids_user_idx').on(t.userId)],
);

export const memberships = pgTable(
  'memberships',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: MEMBER_ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked'] as const;

/** An invitation of a DID to join an organization with a role; accepted with proof of control of the DID. */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    did: text('did').notNull(),
    role: text('role', { enum: MEMBER_ROLES }).notNull(),
    /** `pending` past `expires_at` reads as expired. */
    status: text('status', { enum: INVITATION_STATUSES }).notNull().default('pending'),
    invitedBy: text('invited_by').notNull(),
    acceptedBy: uuid('accepted_by').references(() => users.id),
    acceptedAt: timestamptz('accepted_at'),
    expiresAt: timestamptz('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('invitations_org_idx').on(t.organizationId, t.createdAt.desc()),
    index('invitations_did_pending_idx').on(t.did).where(sql`status = 'pending'`),
    // One open invitation per DID and organization.
    uniqueIndex('invitations_org_did_pending_key').on(t.organizationId, t.did).where(sql`status = 'pending'`),
  ],
);

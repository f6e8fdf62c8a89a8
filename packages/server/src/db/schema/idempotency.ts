// Idempotency keys: the first response to a (caller, key) pair, replayed for retries of the same
// request for at least 24 hours.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.js';

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    /** The caller the key belongs to (user id). */
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of method, path and body: the same key with another request is refused. */
    requestHash: text('request_hash').notNull(),
    /** null while the first request runs. */
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    /** When the first request started (or a retry took over an abandoned one). */
    lockedAt: timestamptz('locked_at').notNull(),
    /** The claim running the request: `<instance id>/<claim id>`; null once answered. */
    owner: text('owner'),
    /** Until when the claim is alive; its instance renews it while the request runs (database clock). */
    leaseExpiresAt: timestamptz('lease_expires_at'),
    /** Set in the transaction of the request's change: its effect committed, even if its response was never stored. */
    committedResource: jsonb('committed_resource').$type<{ type: string; id: string }>(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index('idempotency_keys_expires_idx').on(t.expiresAt),
    index('idempotency_keys_owner_idx').on(t.owner).where(sql`${t.owner} is not null`),
  ],
);

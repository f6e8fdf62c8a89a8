// Webhook endpoints, their encrypted signing secrets, and the delivery outbox (see docs/webhooks.md).
// Every row carries `organization_id`, the tenant boundary. Delivery rows of contract events are
// written in the event's transaction, under the event-order lock: like `contract_events` they have no
// foreign keys, so that insert never waits for a row lock.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, timestamptz } from './columns.js';
import { dataKeys } from './enclave.js';
import { organizations } from './users.js';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivering', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
export const WEBHOOK_DISABLED_REASONS = ['manual', 'gone', 'failures'] as const;

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    /** UUIDv7: listing by id is creation order. */
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    url: text('url').notNull(),
    description: text('description'),
    /** Subscribed event types; empty for all. */
    eventTypes: jsonb('event_types').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason', { enum: WEBHOOK_DISABLED_REASONS }),
    /** Deliveries failed after their last attempt since the last success; disables the endpoint at the limit. */
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('webhook_endpoints_org_idx').on(t.organizationId, t.id)],
);

/** Signing secrets (AES-256-GCM under an enclave data key); several sign side by side during a rotation. */
export const webhookSecrets = pgTable(
  'webhook_secrets',
  {
    id: uuid('id').primaryKey(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id').notNull(),
    dataKeyId: uuid('data_key_id')
      .notNull()
      .references(() => dataKeys.id),
    ciphertext: bytea('ciphertext').notNull(),
    createdAt: createdAt(),
    /** Null while current; set by a rotation to the end of its grace period. */
    expiresAt: timestamptz('expires_at'),
  },
  (t) => [index('webhook_secrets_endpoint_idx').on(t.endpointId)],
);

/** The server's Ed25519 keys for `v1a` signatures, shared by every instance; public halves in the JWKS. */
export const webhookSigningKeys = pgTable('webhook_signing_keys', {
  kid: text('kid').primaryKey(),
  /** base64url of the 32-byte public key (the JWK `x`). */
  publicKey: text('public_key').notNull(),
  /** The enclave data key that encrypts the private key, wrapped, and that ciphertext. */
  wrappedKey: bytea('wrapped_key').notNull(),
  ciphertext: bytea('ciphertext').notNull(),
  createdAt: createdAt(),
});

/**
 * The outbox: one row per event and endpoint. Workers claim due rows with FOR UPDATE SKIP LOCKED
 * (db/claim-webhook-deliveries.ts); a claim is a lease, so a delivery whose worker died is sent again.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    /** Insertion order; for contract events it is commit order (written under the event-order lock). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    organizationId: uuid('organization_id').notNull(),
    endpointId: uuid('endpoint_id').notNull(),
    /** The `webhook-id` header: the same on every attempt, retry and replay of the event. */
    messageId: text('message_id').notNull(),
    eventType: text('event_type').notNull(),
    eventId: bigint('event_id', { mode: 'number' }),
    /** Deliveries of one contract to one endpoint are sent in `seq` order. */
    contractId: uuid('contract_id'),
    /** The body: `{ type, timestamp, data }`. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').defaultNow(),
    leaseUntil: timestamptz('lease_until'),
    createdAt: createdAt(),
    deliveredAt: timestamptz('delivered_at'),
    lastStatusCode: integer('last_status_code'),
  },
  (t) => [
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.id),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status in ('pending', 'delivering')`),
    index('webhook_deliveries_order_idx')
      .on(t.endpointId, t.contractId, t.seq)
      .where(sql`status in ('pending', 'delivering')`),
  ],
);

/** One row per HTTP attempt: the delivery log. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: uuid('delivery_id').notNull(),
    organizationId: uuid('organization_id').notNull(),
    attempt: integer('attempt').notNull(),
    startedAt: timestamptz('started_at').notNull(),
    durationMs: integer('duration_ms').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    responseBody: text('response_body'),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attempt)],
);

// Webhook endpoints of an organization: create (with its first secret), read, change, delete, rotate
// the secret, ping. Every query is scoped to the caller's organization.
import { and, asc, eq } from 'drizzle-orm';
import { recordEvent } from '../audit/record-event.js';
import type { Principal } from '../auth/principal.js';
import type { Db, Tx } from '../db/database.js';
import { webhookDeliveries, webhookEndpoints } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import type { Enclave } from '../enclave/client/enclave-service.js';
import { AppError } from '../errors/app-error.js';
import type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointUpdate,
  WebhookSecret,
} from '../generated/schemas.js';
import { deliveryView } from './delivery-view.js';
import { deliveryRow } from './enqueue-deliveries.js';
import { checkWebhookUrl, resolveWebhookAddress, WebhookAddressError } from './webhook-address.js';
import { expireCurrentSecrets, newWebhookSecret, storeWebhookSecret } from './webhook-secrets.js';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;

export interface EndpointDeps {
  db: Db;
  enclave: Enclave;
  allowHosts: readonly string[];
}

export function endpointView(r: EndpointRow): WebhookEndpoint {
  return {
    id: r.id,
    organizationId: r.organizationId,
    url: r.url,
    description: r.description,
    eventTypes: r.eventTypes as WebhookEndpoint['eventTypes'],
    enabled: r.enabled,
    disabledReason: r.disabledReason,
    consecutiveFailures: r.consecutiveFailures,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** 422 `webhook_url_not_allowed` unless the URL is deliverable now (scheme, credentials, resolved addresses). */
async function assertDeliverable(raw: string, allowHosts: readonly string[]): Promise<string> {
  try {
    const url = checkWebhookUrl(raw, allowHosts);
    await resolveWebhookAddress(url, allowHosts, { unresolvable: 'allow' });
    return url.href;
  } catch (err) {
    if (err instanceof WebhookAddressError) throw new AppError('webhook_url_not_allowed', err.message);
    throw err;
  }
}

export async function findEndpoint(
  db: Db | Tx,
  principal: Principal,
  id: string,
  lock?: 'update',
): Promise<EndpointRow> {
  const query = db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.organizationId, principal.organizationId)));
  const [row] = lock ? await query.for(lock) : await query;
  if (!row) throw new AppError('not_found', `No webhook endpoint ${id}.`);
  return row;
}

const audit = (
  tx: Tx,
  principal: Principal,
  action: string,
  row: EndpointRow,
  data: Record<string, unknown>,
  now: Date,
) =>
  recordEvent(tx, {
    organizationId: row.organizationId,
    actorDid: principal.did,
    action,
    resource: { type: 'webhook_endpoint', id: row.id },
    data,
    occurredAt: now,
  });

export async function createEndpoint(
  deps: EndpointDeps,
  principal: Principal,
  input: WebhookEndpointCreate,
): Promise<WebhookEndpoint & { secret: string }> {
  const url = await assertDeliverable(input.url, deps.allowHosts);
  const now = new Date();
  const secret = newWebhookSecret();
  const row = await deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(webhookEndpoints)
      .values({
        id: uuidv7(),
        organizationId: principal.organizationId,
        url,
        description: input.description ?? null,
        eventTypes: [...new Set(input.eventTypes ?? [])],
        enabled: input.enabled ?? true,
        disabledReason: input.enabled === false ? 'manual' : null,
        createdBy: principal.did,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await storeWebhookSecret(tx, deps.enclave, created!, secret, now);
    await audit(tx, principal, 'webhook.created', created!, { url, eventTypes: created!.eventTypes }, now);
    return created!;
  });
  return { ...endpointView(row), secret };
}

export async function listEndpoints(db: Db, principal: Principal): Promise<WebhookEndpoint[]> {
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.organizationId, principal.organizationId))
    .orderBy(asc(webhookEndpoints.id))
    .limit(1000);
  return rows.map(endpointView);
}

export async function updateEndpoint(
  deps: EndpointDeps,
  principal: Principal,
  id: string,
  changes: WebhookEndpointUpdate,
): Promise<WebhookEndpoint> {
  const url = changes.url === undefined ? undefined : await assertDeliverable(changes.url, deps.allowHosts);
  const now = new Date();
  return deps.db.transaction(async (tx) => {
    const row = await findEndpoint(tx, principal, id, 'update');
    const enabling = changes.enabled === true && !row.enabled;
    const [updated] = await tx
      .update(webhookEndpoints)
      .set({
        ...(url !== undefined && { url }),
        ...(changes.description !== undefined && { description: changes.description }),
        ...(changes.eventTypes !== undefined && { eventTypes: [...new Set(changes.eventTypes)] }),
        ...(changes.enabled !== undefined && {
          enabled: changes.enabled,
          disabledReason: changes.enabled ? null : row.enabled ? 'manual' : row.disabledReason,
        }),
        // Enabled again: a fresh start, and what waited while it was disabled is due now.
        ...(enabling && { consecutiveFailures: 0 }),
        updatedAt: now,
      })
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.organizationId, principal.organizationId)))
      .returning();
    await audit(tx, principal, 'webhook.updated', updated!, { changes: Object.keys(changes) }, now);
    return endpointView(updated!);
  });
}

export async function deleteEndpoint(db: Db, principal: Principal, id: string): Promise<void> {
  const now = new Date();
  await db.transaction(async (tx) => {
    const row = await findEndpoint(tx, principal, id, 'update');
    await tx
      .delete(webhookDeliveries)
      .where(and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.organizationId, principal.organizationId)));
    await tx
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.organizationId, principal.organizationId)));
    await audit(tx, principal, 'webhook.deleted', row, { url: row.url }, now);
  });
}

export async function rotateSecret(
  deps: EndpointDeps,
  principal: Principal,
  id: string,
  graceSeconds: number,
): Promise<WebhookSecret> {
  const now = new Date();
  const previousExpiresAt = new Date(now.getTime() + graceSeconds * 1000);
  const secret = newWebhookSecret();
  await deps.db.transaction(async (tx) => {
    const row = await findEndpoint(tx, principal, id, 'update');
    await expireCurrentSecrets(tx, row, previousExpiresAt);
    await storeWebhookSecret(tx, deps.enclave, row, secret, now);
    await audit(
      tx,
      principal,
      'webhook.secret_rotated',
      row,
      { previousExpiresAt: previousExpiresAt.toISOString() },
      now,
    );
  });
  return { secret, createdAt: now.toISOString(), previousExpiresAt: previousExpiresAt.toISOString() };
}

export async function pingEndpoint(db: Db, principal: Principal, id: string): Promise<WebhookDelivery> {
  const row = await findEndpoint(db, principal, id);
  const now = new Date();
  const [delivery] = await db
    .insert(webhookDeliveries)
    .values(
      deliveryRow(row.id, {
        organizationId: row.organizationId,
        type: 'webhook.ping',
        messageId: `msg_${uuidv7()}`,
        occurredAt: now,
        data: { endpointId: row.id },
      }),
    )
    .returning();
  return deliveryView(delivery!);
}

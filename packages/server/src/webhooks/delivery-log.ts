// The delivery log of an endpoint (deliveries, attempts), manual retry, and replay of a time range.
import { and, asc, desc, eq, gte, lt } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { contractEvents, webhookAttempts, webhookDeliveries } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type {
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryList,
  WebhookDeliveryStatus,
} from '../generated/schemas.js';
import { type DeliveryRow, deliveryView } from './delivery-view.js';
import { findEndpoint } from './endpoints.js';
import { contractEventMessage, deliveryRow, subscribes } from './enqueue-deliveries.js';

export const MAX_REPLAY = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function listDeliveries(
  db: Db,
  principal: Principal,
  endpointId: string,
  q: { status?: WebhookDeliveryStatus; limit?: number; cursor?: string },
): Promise<WebhookDeliveryList> {
  await findEndpoint(db, principal, endpointId);
  const limit = q.limit ?? 20;
  const before = q.cursor === undefined ? undefined : Buffer.from(q.cursor, 'base64url').toString('utf8');
  if (before !== undefined && !UUID.test(before))
    throw new AppError('validation_failed', 'The cursor is not one this server issued.', {
      errors: [{ path: '/query/cursor', message: 'unknown cursor' }],
    });
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.organizationId, principal.organizationId),
        q.status ? eq(webhookDeliveries.status, q.status) : undefined,
        before ? lt(webhookDeliveries.id, before) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    data: page.map(deliveryView),
    nextCursor: rows.length > limit ? Buffer.from(page.at(-1)!.id).toString('base64url') : null,
  };
}

async function findDelivery(
  db: Db,
  principal: Principal,
  endpointId: string,
  deliveryId: string,
): Promise<DeliveryRow> {
  await findEndpoint(db, principal, endpointId);
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.organizationId, principal.organizationId),
      ),
    );
  if (!row) throw new AppError('not_found', `Endpoint ${endpointId} has no delivery ${deliveryId}.`);
  return row;
}

export async function getDelivery(
  db: Db,
  principal: Principal,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDeliveryDetail> {
  const row = await findDelivery(db, principal, endpointId, deliveryId);
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(and(eq(webhookAttempts.deliveryId, row.id), eq(webhookAttempts.organizationId, principal.organizationId)))
    .orderBy(asc(webhookAttempts.attempt), asc(webhookAttempts.id));
  return {
    ...deliveryView(row),
    payload: row.payload,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: a.startedAt.toISOString(),
      durationMs: a.durationMs,
      statusCode: a.statusCode,
      error: a.error,
      responseBody: a.responseBody,
    })),
  };
}

/** Due now, same `webhook-id`; the attempt count restarts so the whole schedule applies again. */
export async function retryDelivery(
  db: Db,
  principal: Principal,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  const row = await findDelivery(db, principal, endpointId, deliveryId);
  if (row.status === 'delivering') throw new AppError('invalid_transition', 'The delivery is being sent right now.');
  const [updated] = await db
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: new Date(), attempts: 0, leaseUntil: null })
    .where(
      and(
        eq(webhookDeliveries.id, row.id),
        eq(webhookDeliveries.organizationId, principal.organizationId),
        eq(webhookDeliveries.attempts, row.attempts),
      ),
    )
    .returning();
  if (!updated) throw new AppError('invalid_transition', 'The delivery changed while it was being retried; try again.');
  return deliveryView(updated);
}

/** New deliveries, to this endpoint, of the organization's contract events in `[from, to)` it subscribes to. */
export async function replayEvents(
  db: Db,
  principal: Principal,
  endpointId: string,
  range: { from: string; to: string },
): Promise<{ queued: number }> {
  const endpoint = await findEndpoint(db, principal, endpointId);
  const from = new Date(range.from);
  const to = new Date(range.to);
  if (!(from < to))
    throw new AppError('validation_failed', '`from` must be before `to`.', {
      errors: [{ path: '/body/to', message: 'must be after from' }],
    });
  const events = await db
    .select()
    .from(contractEvents)
    .where(
      and(
        eq(contractEvents.organizationId, principal.organizationId),
        gte(contractEvents.createdAt, from),
        lt(contractEvents.createdAt, to),
      ),
    )
    .orderBy(asc(contractEvents.id))
    .limit(MAX_REPLAY);
  const rows = events
    // An organization's events about no contract (`webhook.disabled`) are not contract events to replay.
    .filter((e): e is typeof e & { contractId: string } => e.contractId !== null)
    .filter((e) => subscribes(endpoint.eventTypes, e.type))
    .map((e) => deliveryRow(endpoint.id, contractEventMessage(e)));
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(webhookDeliveries).values(rows.slice(i, i + 1000));
  });
  return { queued: rows.length };
}

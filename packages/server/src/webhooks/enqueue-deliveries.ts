// The outbox side of webhooks: delivery rows written inside the transaction of the event they carry,
// so a committed event is never missed and a rolled-back one is never sent. One select of the
// organization's enabled endpoints and one multi-row insert, whatever the number of endpoints.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/database.js';
import { webhookDeliveries, webhookEndpoints } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';

/** What one delivery carries: the Standard Webhooks body and what orders and names it. */
export interface WebhookMessage {
  organizationId: string;
  type: string;
  /** The `webhook-id`: the same for every endpoint, attempt and replay of this event. */
  messageId: string;
  occurredAt: Date;
  data: Record<string, unknown>;
  /** For contract events: the `/v1/events` id and the contract (deliveries per contract keep their order). */
  eventId?: number;
  contractId?: string;
}

export function messageBody(m: Pick<WebhookMessage, 'type' | 'occurredAt' | 'data'>): Record<string, unknown> {
  return { type: m.type, timestamp: m.occurredAt.toISOString(), data: m.data };
}

/** Whether an endpoint subscribed to `type` (an empty list subscribes to everything). */
export const subscribes = (eventTypes: readonly string[], type: string) =>
  eventTypes.length === 0 || eventTypes.includes(type);

/** Queues `messages` for every enabled endpoint of their organizations that subscribes to them. */
export async function enqueueWebhookMessages(
  tx: Db | Tx,
  messages: WebhookMessage[],
  options: { excludeEndpointId?: string } = {},
): Promise<number> {
  if (messages.length === 0) return 0;
  const organizationIds = [...new Set(messages.map((m) => m.organizationId))];
  const endpoints = await tx
    .select({
      id: webhookEndpoints.id,
      organizationId: webhookEndpoints.organizationId,
      eventTypes: webhookEndpoints.eventTypes,
    })
    .from(webhookEndpoints)
    .where(
      and(
        organizationIds.length === 1
          ? eq(webhookEndpoints.organizationId, organizationIds[0]!)
          : inArray(webhookEndpoints.organizationId, organizationIds),
        eq(webhookEndpoints.enabled, true),
      ),
    );
  const rows = messages.flatMap((m) =>
    endpoints
      .filter(
        (e) =>
          e.organizationId === m.organizationId &&
          e.id !== options.excludeEndpointId &&
          subscribes(e.eventTypes, m.type),
      )
      .map((e) => deliveryRow(e.id, m)),
  );
  if (rows.length) await tx.insert(webhookDeliveries).values(rows);
  return rows.length;
}

export function deliveryRow(endpointId: string, m: WebhookMessage): typeof webhookDeliveries.$inferInsert {
  return {
    id: uuidv7(),
    organizationId: m.organizationId,
    endpointId,
    messageId: m.messageId,
    eventType: m.type,
    eventId: m.eventId ?? null,
    contractId: m.contractId ?? null,
    payload: messageBody(m),
  };
}

/** The message of a stored contract event: the body's `data` is the same `ContractEvent` `/v1/events` streams. */
export function contractEventMessage(e: {
  id: number;
  organizationId: string;
  contractId: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}): WebhookMessage {
  return {
    organizationId: e.organizationId,
    type: e.type,
    messageId: `msg_evt_${e.id}`,
    occurredAt: e.createdAt,
    eventId: e.id,
    contractId: e.contractId,
    data: {
      id: String(e.id),
      type: e.type,
      contractId: e.contractId,
      organizationId: e.organizationId,
      occurredAt: e.createdAt.toISOString(),
      data: e.payload,
    },
  };
}

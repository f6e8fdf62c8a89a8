// One delivery as the API shows it.
import type { webhookDeliveries } from '../db/schema/index.js';
import type { WebhookDelivery } from '../generated/schemas.js';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export function deliveryView(r: DeliveryRow): WebhookDelivery {
  return {
    id: r.id,
    endpointId: r.endpointId,
    messageId: r.messageId,
    eventType: r.eventType,
    eventId: r.eventId === null ? null : String(r.eventId),
    contractId: r.contractId,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt:
      r.status === 'pending' || r.status === 'delivering' ? (r.nextAttemptAt?.toISOString() ?? null) : null,
    createdAt: r.createdAt.toISOString(),
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    lastStatusCode: r.lastStatusCode,
  };
}

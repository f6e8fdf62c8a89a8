// Disabling an endpoint because of its receiver (410 Gone, too many failed deliveries): in one
// transaction the endpoint stops receiving, an audit event records why, the organization's other
// endpoints that subscribe to `webhook.disabled` are told, and so are its members on the event stream.
import { and, eq } from 'drizzle-orm';
import { recordEvent } from '../audit/record-event.js';
import type { Tx } from '../db/database.js';
import { webhookEndpoints } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import type { EventNotice } from '../events/event-bus.js';
import { recordOrganizationEvent } from '../events/record-contract-events.js';
import { enqueueWebhookMessages } from './enqueue-deliveries.js';

export async function disableEndpoint(
  tx: Tx,
  endpoint: { id: string; organizationId: string },
  reason: 'gone' | 'failures',
  now: Date,
): Promise<EventNotice | undefined> {
  // The stream's notice to announce after commit; undefined when the endpoint was already disabled.
  const [row] = await tx
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: reason, updatedAt: now })
    .where(
      and(
        eq(webhookEndpoints.id, endpoint.id),
        eq(webhookEndpoints.organizationId, endpoint.organizationId),
        eq(webhookEndpoints.enabled, true),
      ),
    )
    .returning();
  if (!row) return undefined;
  const data = { endpointId: row.id, url: row.url, reason, consecutiveFailures: row.consecutiveFailures };
  await recordEvent(tx, {
    organizationId: row.organizationId,
    actorDid: 'system',
    action: 'webhook.disabled',
    resource: { type: 'webhook_endpoint', id: row.id },
    data,
    occurredAt: now,
  });
  await enqueueWebhookMessages(
    tx,
    [
      {
        organizationId: row.organizationId,
        type: 'webhook.disabled',
        messageId: `msg_${uuidv7()}`,
        occurredAt: now,
        data,
      },
    ],
    { excludeEndpointId: row.id },
  );
  // Last: it takes the event-order lock, held until commit. No URL here: every member reads the stream.
  return recordOrganizationEvent(tx, {
    organizationId: row.organizationId,
    type: 'webhook.disabled',
    payload: { endpointId: row.id, reason, consecutiveFailures: row.consecutiveFailures },
    occurredAt: now,
  });
}

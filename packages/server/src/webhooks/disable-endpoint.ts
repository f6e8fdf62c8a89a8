// Disabling an endpoint because of its receiver (410 Gone, too many failed deliveries): in one
// transaction the endpoint stops receiving, an audit event records why, and the organization's other
// endpoints that subscribe to `webhook.disabled` are told.
import { and, eq } from 'drizzle-orm';
import { recordEvent } from '../audit/record-event.js';
import type { Tx } from '../db/database.js';
import { webhookEndpoints } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import { enqueueWebhookMessages } from './enqueue-deliveries.js';

export async function disableEndpoint(
  tx: Tx,
  endpoint: { id: string; organizationId: string },
  reason: 'gone' | 'failures',
  now: Date,
): Promise<boolean> {
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
  if (!row) return false;
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
  return true;
}

// Writes contract events inside the caller's transaction (the change and its events commit together)
// and returns the notice to announce once that transaction has committed. An organization's events about no
// contract (`webhook.disabled`) go the same way, in the same order, to its members only.
import { eq, inArray } from 'drizzle-orm';
import { lockContractEventOrder } from '../db/contract-event-order.js';
import type { Tx } from '../db/database.js';
import { contractEvents, contractParties } from '../db/schema/index.js';
import type { ContractEventType } from '../generated/schemas.js';
import { contractEventMessage, enqueueWebhookMessages } from '../webhooks/enqueue-deliveries.js';
import type { EventNotice } from './event-bus.js';

export interface NewContractEvent {
  organizationId: string;
  contractId: string;
  type: ContractEventType;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

export async function recordContractEvents(tx: Tx, events: NewContractEvent[]): Promise<EventNotice | undefined> {
  if (events.length === 0) return undefined;
  await lockContractEventOrder(tx);
  const rows = await tx
    .insert(contractEvents)
    .values(
      events.map((e) => ({
        organizationId: e.organizationId,
        contractId: e.contractId,
        type: e.type,
        payload: e.payload,
        createdAt: e.occurredAt,
      })),
    )
    .returning();
  // The webhook outbox: a delivery row per subscribed endpoint, committed with the events.
  await enqueueWebhookMessages(
    tx,
    rows.flatMap((r) => (r.contractId ? [contractEventMessage({ ...r, contractId: r.contractId })] : [])),
  );
  const contractIds = [...new Set(events.map((e) => e.contractId))];
  const parties = await tx
    .selectDistinct({ did: contractParties.did })
    .from(contractParties)
    .where(
      contractIds.length === 1
        ? eq(contractParties.contractId, contractIds[0]!)
        : inArray(contractParties.contractId, contractIds),
    );
  return {
    eventId: Math.max(...rows.map((r) => r.id)),
    organizationIds: [...new Set(events.map((e) => e.organizationId))],
    partyDids: parties.map((p) => p.did),
  };
}

/** An organization's event about no contract, in the caller's transaction (as its last write: it takes the order lock). */
export async function recordOrganizationEvent(
  tx: Tx,
  event: { organizationId: string; type: 'webhook.disabled'; payload: Record<string, unknown>; occurredAt: Date },
): Promise<EventNotice> {
  await lockContractEventOrder(tx);
  const [row] = await tx
    .insert(contractEvents)
    .values({
      organizationId: event.organizationId,
      contractId: null,
      type: event.type,
      payload: event.payload,
      createdAt: event.occurredAt,
    })
    .returning({ id: contractEvents.id });
  return { eventId: row!.id, organizationIds: [event.organizationId], partyDids: [] };
}

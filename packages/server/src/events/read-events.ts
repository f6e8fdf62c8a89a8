// Reads a caller's contract events after an id, in commit order (see db/contract-event-order.ts), with
// tenant isolation: members see their organization's contracts, parties the contracts they are party to.
import { and, asc, eq, gt, inArray, max, or } from 'drizzle-orm';
import { lastIssuedEventId } from '../db/contract-event-order.js';
import type { Db } from '../db/database.js';
import { contractEvents, contractParties } from '../db/schema/index.js';
import type { ContractEvent, ContractEventType, StreamEventType, WebhookDisabledEvent } from '../generated/schemas.js';

/** What the stream carries: contract events, and its organization's `webhook.disabled` for a member. */
export type StreamEvent = ContractEvent | WebhookDisabledEvent;

/** Who reads (their organization's contracts and the contracts their DID is a party to) and which events. */
export interface EventReader {
  organizationId: string;
  did: string;
  types?: StreamEventType[];
  contractId?: string;
}

/** The newest event id (0 when there is none): where a stream without `Last-Event-ID` starts. */
export async function newestEventId(db: Db): Promise<number> {
  const [row] = await db.select({ id: max(contractEvents.id) }).from(contractEvents);
  return row?.id ?? 0;
}

/** Why a `Last-Event-ID` cannot be resumed from, or undefined when it can (the event is still kept). */
export async function resumeRefusal(db: Db, id: number): Promise<'expired' | 'unknown' | undefined> {
  const [row] = await db.select({ id: contractEvents.id }).from(contractEvents).where(eq(contractEvents.id, id));
  if (row) return undefined;
  // Ids up to the sequence's last value were issued: that one is gone (retention, or its transaction rolled back).
  return id <= (await lastIssuedEventId(db)) ? 'expired' : 'unknown';
}

/** Up to `limit` events after `afterId` that `reader` may see, oldest first. */
export async function readEvents(db: Db, reader: EventReader, afterId: number, limit: number): Promise<StreamEvent[]> {
  const partyOf = db
    .select({ contractId: contractParties.contractId })
    .from(contractParties)
    .where(eq(contractParties.did, reader.did));
  const rows = await db
    .select()
    .from(contractEvents)
    .where(
      and(
        gt(contractEvents.id, afterId),
        or(eq(contractEvents.organizationId, reader.organizationId), inArray(contractEvents.contractId, partyOf)),
        reader.types?.length ? inArray(contractEvents.type, reader.types) : undefined,
        reader.contractId ? eq(contractEvents.contractId, reader.contractId) : undefined,
      ),
    )
    .orderBy(asc(contractEvents.id))
    .limit(limit);
  return rows.map(streamEventOf);
}

/** The stream's view of a `contract_events` row. */
export function streamEventOf(row: typeof contractEvents.$inferSelect): StreamEvent {
  const common = { id: String(row.id), organizationId: row.organizationId, occurredAt: row.createdAt.toISOString() };
  if (row.contractId === null) {
    return { ...common, type: 'webhook.disabled', data: row.payload as WebhookDisabledEvent['data'] };
  }
  return {
    ...common,
    type: row.type as ContractEventType,
    contractId: row.contractId,
    data: row.payload as ContractEvent['data'],
  };
}

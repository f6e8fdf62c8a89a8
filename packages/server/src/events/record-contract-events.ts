// Writes contract events inside the caller's transaction (the change and its events commit together)
// and returns the notice to announce once that transaction has committed.
import { eq, inArray } from 'drizzle-orm';
import { lockContractEventOrder } from '../db/contract-event-order.js';
import type { Tx } from '../db/database.js';
import { contractEvents, contractParties, contracts, organizations } from '../db/schema/index.js';
import type { ContractEventType } from '../generated/schemas.js';
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
  const contractIds = [...new Set(events.map((e) => e.contractId))].sort();
  const organizationIds = [...new Set(events.map((e) => e.organizationId))].sort();
  // The insert's foreign-key checks take KEY SHARE locks on these rows. Take them first: a transaction
  // holding the order lock must never wait for a row lock, or it deadlocks with one that holds the row
  // (a contract being changed) and waits for the order lock (seen: anchoring vs. a party's first view).
  await tx.select({ id: contracts.id }).from(contracts).where(inArray(contracts.id, contractIds)).for('key share');
  await tx.select({ id: organizations.id }).from(organizations).where(inArray(organizations.id, organizationIds)).for('key share');
  await lockContractEventOrder(tx);
  const rows = await tx
    .insert(contractEvents)
    .values(events.map((e) => ({ organizationId: e.organizationId, contractId: e.contractId, type: e.type, payload: e.payload, createdAt: e.occurredAt })))
    .returning({ id: contractEvents.id });
  const parties = await tx
    .selectDistinct({ did: contractParties.did })
    .from(contractParties)
    .where(contractIds.length === 1 ? eq(contractParties.contractId, contractIds[0]!) : inArray(contractParties.contractId, contractIds));
  return {
    eventId: Math.max(...rows.map((r) => r.id)),
    organizationIds,
    partyDids: parties.map((p) => p.did),
  };
}

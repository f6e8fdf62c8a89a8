import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import { recordEvent } from '../audit/record-event.js';
import type { Db } from '../db/database.js';
import { contractParties, contracts, contractTransitions } from '../db/schema/index.js';
import type { Contract, ContractHistory } from '../generated/schemas.js';
import { announceEvents } from '../events/announce-events.js';
import type { EventNotice } from '../events/event-bus.js';
import { recordContractEvents } from '../events/record-contract-events.js';
import { findVisibleContract } from './contract-access.js';
import { contractView } from './contract-view.js';
import { loadParties, partyWhere, type PartyRow } from './mutate-contract.js';

/**
 * A contract its organization's members or its parties may read. A party's first read after the
 * contract reached it marks the party `viewed` (a new revision, audited, not anchored).
 */
export async function getContract(db: Db, principal: Principal, contractId: string): Promise<Contract> {
  const row = await findVisibleContract(db, principal, contractId);
  const parties = await loadParties(db, row.id);
  const unviewed = parties.find((p) => p.did === principal.did && p.status === 'sent');
  if (!unviewed) return contractView(row, parties);
  return markViewed(db, principal, row.id, unviewed);
}

async function markViewed(db: Db, principal: Principal, contractId: string, party: PartyRow): Promise<Contract> {
  let notice: EventNotice | undefined;
  const viewed = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(contracts).where(eq(contracts.id, contractId)).for('update');
    const now = new Date();
    const changed = await tx
      .update(contractParties)
      .set({ status: 'viewed', viewedAt: now })
      .where(and(partyWhere(contractId, party.position), eq(contractParties.status, 'sent')))
      .returning();
    let current = row!;
    if (changed.length) {
      [current] = await tx.update(contracts).set({ revision: row!.revision + 1, updatedAt: now }).where(eq(contracts.id, contractId)).returning() as [typeof row & {}];
      await recordEvent(tx, {
        organizationId: row!.organizationId,
        actorDid: principal.did,
        action: 'contract.viewed',
        resource: { type: 'contract', id: contractId },
        data: { partyDid: principal.did, revision: current.revision },
        anchor: false,
        occurredAt: now,
      });
      notice = await recordContractEvents(tx, [
        {
          organizationId: row!.organizationId,
          contractId,
          type: 'contract.viewed',
          payload: { status: current.status, revision: current.revision, actorDid: principal.did, partyDid: principal.did },
          occurredAt: now,
        },
      ]);
    }
    return contractView(current, await loadParties(tx, contractId));
  });
  announceEvents(db, notice);
  return viewed;
}

export async function getContractHistory(db: Db, principal: Principal, contractId: string): Promise<ContractHistory> {
  await findVisibleContract(db, principal, contractId);
  const rows = await db.select().from(contractTransitions).where(eq(contractTransitions.contractId, contractId)).orderBy(asc(contractTransitions.seq));
  return {
    contractId,
    data: rows.map((t) => ({
      seq: t.seq,
      action: t.action,
      fromStatus: t.fromStatus,
      toStatus: t.toStatus,
      actorDid: t.actorDid,
      partyDid: t.partyDid,
      reason: t.reason,
      revision: t.revision,
      version: t.version,
      occurredAt: t.occurredAt.toISOString(),
    })),
  };
}

/** Parties of several contracts at once, grouped by contract id (one query for a whole page). */
export async function partiesByContract(db: Db, contractIds: string[]) {
  const grouped = new Map<string, PartyRow[]>();
  if (contractIds.length === 0) return grouped;
  for (const p of await db.select().from(contractParties).where(inArray(contractParties.contractId, contractIds))) {
    grouped.set(p.contractId, [...(grouped.get(p.contractId) ?? []), p]);
  }
  return grouped;
}

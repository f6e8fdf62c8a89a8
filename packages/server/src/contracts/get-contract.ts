import { asc, eq, inArray } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { contractParties, contractTransitions } from '../db/schema/index.js';
import type { Contract, ContractHistory } from '../generated/schemas.js';
import { findVisibleContract } from './contract-access.js';
import { loadParties, type PartyRow, partyWhere } from './contract-parties.js';
import { contractView } from './contract-view.js';
import { mutateContract } from './mutate-contract.js';

/**
 * A contract its organization's members or its parties may read, from `db` (a replica or the primary).
 * A party's first read after the contract reached it marks the party `viewed` (a new revision,
 * audited, not anchored): a write, so it goes to `writer()` — the primary, never `db` — and without a
 * writer the contract is shown as it is.
 */
export async function getContract(
  db: Db,
  principal: Principal,
  contractId: string,
  writer?: () => Db,
): Promise<Contract> {
  // One snapshot for the contract row and its parties: read apart, a change committed in between (a
  // party's view, a signature) would show the new party state under the old revision.
  const { row, parties } = await db.transaction(
    async (tx) => {
      const row = await findVisibleContract(tx, principal, contractId);
      return { row, parties: await loadParties(tx, row.id) };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const unviewed = parties.find((p) => p.did === principal.did && p.status === 'sent');
  if (!unviewed || !writer) return contractView(row, parties);
  return markViewed(writer(), principal, row.id);
}

/** Marks the caller's party `viewed`, through the one write path (locked, revisioned, audited). */
function markViewed(db: Db, principal: Principal, contractId: string): Promise<Contract> {
  return mutateContract(db, principal, contractId, { audience: 'party' }, async ({ tx, contract, parties, now }) => {
    const party = parties.find((p) => p.did === principal.did && p.status === 'sent');
    if (!party) return null;
    await tx
      .update(contractParties)
      .set({ status: 'viewed', viewedAt: now })
      .where(partyWhere(contract.id, party.position));
    party.status = 'viewed';
    return { action: 'view', partyDid: principal.did };
  });
}

export async function getContractHistory(db: Db, principal: Principal, contractId: string): Promise<ContractHistory> {
  await findVisibleContract(db, principal, contractId);
  const rows = await db
    .select()
    .from(contractTransitions)
    .where(eq(contractTransitions.contractId, contractId))
    .orderBy(asc(contractTransitions.seq));
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

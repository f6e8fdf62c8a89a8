// A contract's parties as rows: loading them in signing order, addressing one, marking some as sent.
import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/database.js';
import { contractParties } from '../db/schema/index.js';

export type PartyRow = typeof contractParties.$inferSelect;

export async function loadParties(tx: Tx | Db, contractId: string): Promise<PartyRow[]> {
  return tx
    .select()
    .from(contractParties)
    .where(eq(contractParties.contractId, contractId))
    .orderBy(asc(contractParties.position));
}

export const partyWhere = (contractId: string, position: number) =>
  and(eq(contractParties.contractId, contractId), eq(contractParties.position, position));

/** Marks `dids` as sent (their turn has come, or they receive a copy). */
export async function notifyParties(
  { tx, contract, parties, now }: { tx: Tx; contract: { id: string }; parties: PartyRow[]; now: Date },
  dids: string[],
) {
  for (const p of parties.filter((p) => dids.includes(p.did))) {
    await tx.update(contractParties).set({ status: 'sent', sentAt: now }).where(partyWhere(contract.id, p.position));
    p.status = 'sent';
  }
}

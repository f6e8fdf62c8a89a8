import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { contractParties, contracts } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { Principal } from '../auth/principal.js';
import type { Contract } from '../generated/schemas.js';
import { contractView } from './contract-view.js';

/** A contract of the caller's organization; another tenant's contract is `not_found`, like a missing one. */
export async function getContract(db: Db, principal: Principal, contractId: string): Promise<Contract> {
  const [row] = await db
    .select()
    .from(contracts)
    .where(and(eq(contracts.id, contractId), eq(contracts.organizationId, principal.organizationId)));
  if (!row) throw new AppError('not_found', `No contract ${contractId}.`);
  const parties = await db.select().from(contractParties).where(eq(contractParties.contractId, row.id));
  return contractView(row, parties);
}

/** Parties of several contracts at once, grouped by contract id (one query for a whole page). */
export async function partiesByContract(db: Db, contractIds: string[]) {
  const grouped = new Map<string, (typeof contractParties.$inferSelect)[]>();
  if (contractIds.length === 0) return grouped;
  for (const p of await db.select().from(contractParties).where(inArray(contractParties.contractId, contractIds))) {
    grouped.set(p.contractId, [...(grouped.get(p.contractId) ?? []), p]);
  }
  return grouped;
}

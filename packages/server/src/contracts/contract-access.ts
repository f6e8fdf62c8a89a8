// Who may see and act on a contract: members of the owning organization (with the operation's
// permission, checked before this), and the contract's parties for read, sign and decline.
// Anyone else gets `not_found`, exactly as for a contract that does not exist.
import { and, eq, exists, or, type SQL, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { contractParties, contracts } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';

/** `organization` for member-only actions; `party` also admits the contract's parties. */
export type Audience = 'organization' | 'party';

export function visibleTo(principal: Principal, audience: Audience): SQL {
  const member = eq(contracts.organizationId, principal.organizationId);
  if (audience === 'organization') return member;
  const party = exists(
    sql`(select 1 from ${contractParties} where ${contractParties.contractId} = ${contracts.id} and ${contractParties.did} = ${principal.did})`,
  );
  return or(member, party)!;
}

export const byIdVisibleTo = (contractId: string, principal: Principal, audience: Audience) =>
  and(eq(contracts.id, contractId), visibleTo(principal, audience));

export const notFound = (contractId: string) => new AppError('not_found', `No contract ${contractId}.`);

/** A contract the caller may see (member of its organization or one of its parties), or `not_found`. */
export async function findVisibleContract(db: Db, principal: Principal, contractId: string) {
  const [row] = await db
    .select()
    .from(contracts)
    .where(byIdVisibleTo(contractId, principal, 'party'));
  if (!row) throw notFound(contractId);
  return row;
}

/**
 * Checks an `If-Match` header against the contract's revision (weak or strong, `*` matches all). A tag
 * is the contract's ETag, `"<revision>.<ledger tag>"`, or the older bare `"<revision>"`; only the
 * revision is compared, because anchoring changes the ledger tag but is no conflicting edit.
 */
export function checkIfMatch(ifMatch: string | undefined, revision: number): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes('*') || tags.some((t) => revisionOf(t) === revision)) return;
  throw new AppError('precondition_failed', `The contract is at revision ${revision}; reload it and retry.`, {
    headers: { etag: `"${revision}"` },
  });
}

/** The revision an entity tag names, or undefined when it is not a contract's tag. */
const revisionOf = (tag: string) => {
  const m = /^"(\d{1,15})(?:\.[0-9a-f]+)?"$/.exec(tag);
  return m ? Number(m[1]) : undefined;
};

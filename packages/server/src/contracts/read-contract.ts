// GET of one contract with conditional requests and the response cache. The caller is authorized and
// the version read in one query; then a matching If-None-Match costs nothing more, a cache hit one
// lookup, and only a miss loads the contract, its parties and its ledger status.
import type { Principal } from '../auth/principal.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { Db } from '../db/database.js';
import type { Contract } from '../generated/schemas.js';
import { noneMatchHits, type Representation } from '../http/conditional-get.js';
import { withLedgerStatus } from './contract-ledger.js';
import { contractEtag, contractVersion } from './contract-version.js';
import { getContract } from './get-contract.js';

export interface ReadContext {
  cache: ResponseCache;
  /** Where reads go (a replica, or the primary for a caller who just wrote). */
  reader: Db;
  /** The primary, for a read that writes (a party's first read marks it `viewed`); records the caller's write position. */
  writer: () => Db;
}

export async function readContract(
  ctx: ReadContext,
  principal: Principal,
  contractId: string,
  ifNoneMatch: string | undefined,
): Promise<Representation<Contract>> {
  const version = await contractVersion(ctx.reader, principal, contractId);
  if (version.unviewed) {
    // Not cacheable: the read itself changes the contract (new revision, audit event).
    const db = ctx.writer();
    const [contract] = await withLedgerStatus(db, [await getContract(db, principal, contractId, () => db)]);
    return { etag: contractEtag(contract!), json: JSON.stringify(contract) };
  }
  const etag = contractEtag(version);
  if (noneMatchHits(ifNoneMatch, etag)) return { etag };
  const key = `contract:${contractId}:${etag}`;
  const cached = await ctx.cache.get(key);
  if (cached !== undefined) return { etag, json: cached };
  // The party may have become unviewed since the version query (a new version was sent): marking it
  // viewed goes to the primary, and the body shows (and is filed under) that new revision.
  const [contract] = await withLedgerStatus(ctx.reader, [
    await getContract(ctx.reader, principal, contractId, ctx.writer),
  ]);
  // Filed under the version the body itself shows: if the contract changed since the version query,
  // the body is newer and lands under the newer key, never under one an older state would look up.
  const json = JSON.stringify(contract);
  const shown = contractEtag(contract!);
  await ctx.cache.set(`contract:${contractId}:${shown}`, json);
  return { etag: shown, json };
}

// What a contract's representations depend on, read in one statement that also authorizes the caller:
// the revision (bumped by every change of the contract, its parties or signatures) and the ledger
// state of its events (which the anchoring worker changes without a new revision). ETags and response
// cache keys are derived from it, so a 304 or a cache hit costs this one query.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { contracts } from '../db/schema/index.js';
import type { LedgerBatchStatus } from '../db/schema/ledger.js';
import type { Contract } from '../generated/schemas.js';
import { recordOf } from '../ledger/ledger-records.js';
import { byIdVisibleTo, notFound } from './contract-access.js';
import { PENDING_LEDGER } from './contract-view.js';

export interface ContractVersion {
  revision: number;
  /** The caller is a party the contract was sent to who has not read it: this read is a write. */
  unviewed: boolean;
  /** The ledger status of the latest event, exactly as the contract's `ledger` field shows it. */
  ledger: Contract['ledger'];
  /** With `{ anchors: true }`: a digest of every event's batch state (what an evidence bundle shows). */
  anchors?: string;
}

// Raw SQL for the correlated subqueries: drizzle's select cannot put a multi-column subquery or an
// ordered aggregate in a select list, and renders columns there without their table, so the tables
// are aliased here by hand.
const latestBatch = sql<[string | null, LedgerBatchStatus | null, string | null, number | null] | null>`(
  select json_build_array(b.id, b.status, b.transaction_hash, b.block_number)
  from ledger_outbox o left join ledger_batches b on b.id = o.batch_id
  where o.contract_id = "contracts"."id"
  order by o.id desc limit 1)`;
const anchorsDigest = sql<string>`(
  select md5(coalesce(string_agg(concat_ws('|', o.audit_event_id, b.id, b.status, b.ledger_address, b.transaction_hash, b.block_number, b.block_hash, b.anchored_at), ',' order by o.id), ''))
  from ledger_outbox o left join ledger_batches b on b.id = o.batch_id
  where o.contract_id = "contracts"."id")`;

/** The version of a contract the caller may see (member of its organization or a party), or `not_found`. */
export async function contractVersion(
  db: Db,
  principal: Principal,
  contractId: string,
  o: { anchors?: boolean } = {},
): Promise<ContractVersion> {
  const unviewed = sql<boolean>`exists(select 1 from contract_parties p where p.contract_id = "contracts"."id" and p.did = ${principal.did} and p.status = 'sent')`;
  const [row] = await db
    .select({
      revision: contracts.revision,
      unviewed,
      latest: latestBatch,
      ...(o.anchors && { anchors: anchorsDigest }),
    })
    .from(contracts)
    .where(byIdVisibleTo(contractId, principal, 'party'));
  if (!row) throw notFound(contractId);
  const latest = row.latest;
  return {
    revision: row.revision,
    unviewed: row.unviewed,
    ledger: latest
      ? recordOf({
          id: latest[0],
          status: latest[1],
          transactionHash: latest[2],
          blockNumber: latest[3] === null ? null : Number(latest[3]),
        })
      : PENDING_LEDGER,
    ...('anchors' in row && { anchors: row.anchors as string }),
  };
}

/**
 * A contract's strong ETag, `"<revision>.<ledger tag>"`: the revision comes first so `If-Match` can
 * compare it alone (see `checkIfMatch`); the ledger tag changes with the status of the latest event.
 */
export function contractEtag(c: { revision: number; ledger: Contract['ledger'] }): string {
  const { status, batchId, transactionHash, blockNumber } = c.ledger;
  return `"${c.revision}.${shortHash(JSON.stringify([status, batchId, transactionHash, blockNumber]))}"`;
}

/** An evidence bundle's strong ETag: its contract's revision and the state of every event's batch. */
export function evidenceEtag(v: Pick<ContractVersion, 'revision' | 'anchors'>): string {
  return `"${v.revision}.${shortHash(`evidence:${v.anchors}`)}"`;
}

const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

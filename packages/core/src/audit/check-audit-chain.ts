// Walks an organization's audit chain in seq order and finds the first break: a row whose content does not
// hash to its stated hash, a row that does not name its predecessor's hash, or a missing seq. Used by the
// server's GET /v1/audit/verify over its stored rows and by `verifyAuditExport` over an export, so both
// judge a chain by exactly the same rules. Holds one row at a time: constant memory for any chain length.
import { type AuditEventContent, computeAuditEventHash, GENESIS_HASH } from './audit-event-hash.js';

export interface AuditChainRow extends AuditEventContent {
  hash: string;
}

export type AuditChainBreakKind = 'hash_mismatch' | 'prev_hash_mismatch' | 'seq_gap' | 'organization_mismatch';

/** The first place the chain does not hold. */
export interface AuditChainBreak {
  kind: AuditChainBreakKind;
  /** The offending row (for a `seq_gap`, the row after the gap). */
  eventId: string;
  seq: number;
  /** What the chain requires at this row (a hash, or the seq for a gap). */
  expected: string;
  /** What the row says. */
  found: string;
}

export interface AuditChainCheck {
  verified: boolean;
  checkedEvents: number;
  firstSeq: number | null;
  lastSeq: number | null;
  firstHash: string | null;
  /** Hash of the last row checked: what the next row (or a chain head) must name. */
  lastHash: string | null;
  break: AuditChainBreak | null;
}

export interface CheckAuditChainOptions {
  organizationId: string;
  /**
   * Where the rows start: the seq and hash of the row before the first one. Defaults to the chain's
   * beginning (seq 0, the genesis hash); a range or an archived chain starts after its last archived row.
   */
  after?: { seq: number; hash: string };
}

/**
 * Checks rows of one organization's chain, in seq order, stopping at the first break.
 * @example
 * const result = await checkAuditChain(rowsFromExport, { organizationId });
 * if (!result.verified) console.log(result.break);
 */
export async function checkAuditChain(
  rows: AsyncIterable<AuditChainRow> | Iterable<AuditChainRow>,
  options: CheckAuditChainOptions,
): Promise<AuditChainCheck> {
  let prev = options.after ?? { seq: 0, hash: GENESIS_HASH };
  const result: AuditChainCheck = {
    verified: true,
    checkedEvents: 0,
    firstSeq: null,
    lastSeq: null,
    firstHash: null,
    lastHash: null,
    break: null,
  };
  const fail = (b: AuditChainBreak) => ({ ...result, verified: false, break: b });
  for await (const row of rows) {
    if (row.organizationId !== options.organizationId) {
      return fail({
        kind: 'organization_mismatch',
        eventId: row.id,
        seq: row.seq,
        expected: options.organizationId,
        found: row.organizationId,
      });
    }
    if (row.seq !== prev.seq + 1)
      return fail({
        kind: 'seq_gap',
        eventId: row.id,
        seq: row.seq,
        expected: String(prev.seq + 1),
        found: String(row.seq),
      });
    const computed = await computeAuditEventHash(row);
    if (computed !== row.hash.toLowerCase())
      return fail({ kind: 'hash_mismatch', eventId: row.id, seq: row.seq, expected: computed, found: row.hash });
    if (row.prevHash.toLowerCase() !== prev.hash.toLowerCase()) {
      return fail({
        kind: 'prev_hash_mismatch',
        eventId: row.id,
        seq: row.seq,
        expected: prev.hash,
        found: row.prevHash,
      });
    }
    result.checkedEvents++;
    result.firstSeq ??= row.seq;
    result.firstHash ??= row.hash;
    result.lastSeq = row.seq;
    result.lastHash = row.hash;
    prev = { seq: row.seq, hash: row.hash };
  }
  return result;
}

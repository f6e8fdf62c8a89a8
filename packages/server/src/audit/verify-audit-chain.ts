// GET /v1/audit/verify: recomputes an organization's hash chain from the stored rows, checks every anchored
// event's leaf and Merkle proof against the root its batch recorded, compares the chain's end with the
// recorded chain head, and reports the first break and how much of the chain the ledger covers.
import { type AuditChainBreak, checkAuditChain, GENESIS_HASH, ledgerLeafOf, merkleRootFromProof } from '@cms/sdk';
import { and, asc, desc, eq, gt, gte, lt, max, min } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { auditArchives, auditChainHeads, auditEvents, ledgerBatches, ledgerLeaves } from '../db/schema/index.js';
import { auditRows, chainRowOf } from './audit-rows.js';

export type AuditVerifyBreakKind =
  | AuditChainBreak['kind']
  | 'head_mismatch'
  | 'anchored_event_missing'
  | 'anchored_hash_mismatch'
  | 'proof_mismatch';

export interface AuditVerifyBreak {
  kind: AuditVerifyBreakKind;
  eventId: string | null;
  seq: number | null;
  expected: string;
  found: string;
}

export interface AuditVerification {
  organizationId: string;
  verified: boolean;
  checkedEvents: number;
  firstSeq: number | null;
  lastSeq: number | null;
  lastHash: string | null;
  /** Rows before this seq were archived (retention); the chain continues from the archive's last hash. */
  archivedThroughSeq: number;
  break: AuditVerifyBreak | null;
  anchoring: {
    /** Anchored events checked (leaf and proof against their batch's root). */
    anchoredEvents: number;
    /** Events of the range at or before the last event in a confirmed batch: each is vouched for by it. */
    coveredEvents: number;
    lastAnchoredSeq: number | null;
    lastAnchoredAt: string | null;
    /** Age of the oldest event no confirmed anchor covers yet; 0 when everything is covered. */
    lagSeconds: number;
  };
}

export interface VerifyAuditChainOptions {
  organizationId: string;
  /** Events that occurred at or after this time. */
  from?: Date;
  /** Events that occurred before this time. */
  to?: Date;
  now?: Date;
}

export async function verifyAuditChain(db: Db, o: VerifyAuditChainOptions): Promise<AuditVerification> {
  const org = o.organizationId;
  const [archive] = await db
    .select({ seq: auditArchives.throughSeq, hash: auditArchives.throughHash })
    .from(auditArchives)
    .where(eq(auditArchives.organizationId, org))
    .orderBy(desc(auditArchives.throughSeq))
    .limit(1);
  let after = archive ?? { seq: 0, hash: GENESIS_HASH };
  const archivedThroughSeq = after.seq;
  const inRange = and(
    eq(auditEvents.organizationId, org),
    gt(auditEvents.seq, archivedThroughSeq),
    o.from ? gte(auditEvents.occurredAt, o.from) : undefined,
    o.to ? lt(auditEvents.occurredAt, o.to) : undefined,
  );
  const [bounds] = await db
    .select({ first: min(auditEvents.seq), last: max(auditEvents.seq) })
    .from(auditEvents)
    .where(inRange);
  const firstInRange = bounds?.first == null ? null : Number(bounds.first);
  const lastInRange = bounds?.last == null ? null : Number(bounds.last);
  // A range starts at its first row's stored predecessor; when that row is missing the walk starts
  // earlier, and finds the gap.
  if (o.from && firstInRange !== null && firstInRange - 1 > after.seq) {
    const [prev] = await db
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .where(and(eq(auditEvents.organizationId, org), eq(auditEvents.seq, firstInRange - 1)));
    if (prev) after = prev;
  }
  const empty = firstInRange === null;
  const rows = async function* () {
    if (empty) return;
    for await (const row of auditRows(db, {
      organizationId: org,
      afterSeq: after.seq,
      throughSeq: o.to ? lastInRange! : undefined,
    }))
      yield chainRowOf(row);
  };
  const chain = await checkAuditChain(rows(), { organizationId: org, after });
  let firstBreak: AuditVerifyBreak | null = chain.break;

  // Anchored events: the leaf is the event's hash, the proof folds up to the batch's root.
  const anchoring = await checkAnchors(db, org, {
    fromSeq: o.from ? firstInRange : null,
    throughSeq: o.to ? lastInRange : null,
  });
  firstBreak ??= anchoring.break;

  // The end of the whole chain must be the recorded head: rows cut off the tail leave the head ahead.
  if (!firstBreak && !o.to) {
    const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.organizationId, org));
    const endSeq = chain.lastSeq ?? after.seq;
    const endHash = chain.lastHash ?? after.hash;
    if (head && (head.seq !== endSeq || head.headHash !== endHash)) {
      firstBreak = {
        kind: 'head_mismatch',
        eventId: null,
        seq: head.seq,
        expected: `seq ${head.seq} ${head.headHash}`,
        found: `seq ${endSeq} ${endHash}`,
      };
    }
  }

  const lastSeq = chain.lastSeq;
  const firstSeq = chain.firstSeq;
  let coveredEvents = 0;
  let lagSeconds = 0;
  if (firstSeq !== null && lastSeq !== null) {
    const covered = anchoring.lastAnchoredSeq ?? 0;
    // Rows walked before the range (from its stored predecessor on) are not counted in it.
    const rangeFirst = firstInRange ?? firstSeq;
    coveredEvents = Math.max(0, Math.min(lastSeq, covered) - rangeFirst + 1);
    if (covered < lastSeq) {
      const [oldest] = await db
        .select({ at: auditEvents.occurredAt })
        .from(auditEvents)
        .where(and(eq(auditEvents.organizationId, org), gt(auditEvents.seq, covered)))
        .orderBy(asc(auditEvents.seq))
        .limit(1);
      if (oldest) lagSeconds = Math.max(0, Math.round(((o.now ?? new Date()).getTime() - oldest.at.getTime()) / 1000));
    }
  }
  return {
    organizationId: org,
    verified: firstBreak === null,
    checkedEvents: chain.checkedEvents,
    firstSeq,
    lastSeq,
    lastHash: chain.lastHash,
    archivedThroughSeq,
    break: firstBreak,
    anchoring: {
      anchoredEvents: anchoring.anchoredEvents,
      coveredEvents,
      lastAnchoredSeq: anchoring.lastAnchoredSeq,
      lastAnchoredAt: anchoring.lastAnchoredAt,
      lagSeconds,
    },
  };
}

interface AnchorCheck {
  anchoredEvents: number;
  lastAnchoredSeq: number | null;
  lastAnchoredAt: string | null;
  break: AuditVerifyBreak | null;
}

/** Every leaf of the organization, a page at a time (keyset on the event id). */
async function checkAnchors(
  db: Db,
  org: string,
  range: { fromSeq: number | null; throughSeq: number | null },
): Promise<AnchorCheck> {
  const result: AnchorCheck = { anchoredEvents: 0, lastAnchoredSeq: null, lastAnchoredAt: null, break: null };
  let afterId: string | null = null;
  for (;;) {
    const page = await db
      .select({
        auditEventId: ledgerLeaves.auditEventId,
        eventHash: ledgerLeaves.eventHash,
        leaf: ledgerLeaves.leaf,
        proof: ledgerLeaves.proof,
        root: ledgerBatches.root,
        status: ledgerBatches.status,
        anchoredAt: ledgerBatches.anchoredAt,
        seq: auditEvents.seq,
        hash: auditEvents.hash,
      })
      .from(ledgerLeaves)
      .innerJoin(ledgerBatches, eq(ledgerBatches.id, ledgerLeaves.batchId))
      .leftJoin(auditEvents, and(eq(auditEvents.id, ledgerLeaves.auditEventId), eq(auditEvents.organizationId, org)))
      .where(and(eq(ledgerLeaves.organizationId, org), afterId ? gt(ledgerLeaves.auditEventId, afterId) : undefined))
      .orderBy(asc(ledgerLeaves.auditEventId))
      .limit(1000);
    for (const l of page) {
      const at = (kind: AuditVerifyBreakKind, expected: string, found: string): AuditVerifyBreak => ({
        kind,
        eventId: l.auditEventId,
        seq: l.seq,
        expected,
        found,
      });
      if (l.seq === null || l.hash === null) {
        // An event the ledger holds a proof for is gone from the table (archived rows keep theirs in the archive).
        if (!(await archivedEvent(db, org, l.auditEventId)))
          result.break ??= at('anchored_event_missing', l.eventHash, 'no such row');
        continue;
      }
      if ((range.fromSeq !== null && l.seq < range.fromSeq) || (range.throughSeq !== null && l.seq > range.throughSeq))
        continue;
      result.anchoredEvents++;
      if (l.eventHash !== l.hash) result.break ??= at('anchored_hash_mismatch', l.eventHash, l.hash);
      else if (ledgerLeafOf(l.eventHash as `0x${string}`) !== l.leaf)
        result.break ??= at('proof_mismatch', ledgerLeafOf(l.eventHash as `0x${string}`), l.leaf);
      else if (merkleRootFromProof(l.leaf as `0x${string}`, l.proof) !== l.root)
        result.break ??= at('proof_mismatch', l.root, merkleRootFromProof(l.leaf as `0x${string}`, l.proof));
      else if (l.status === 'confirmed' && (result.lastAnchoredSeq === null || l.seq > result.lastAnchoredSeq)) {
        result.lastAnchoredSeq = l.seq;
        result.lastAnchoredAt = l.anchoredAt?.toISOString() ?? null;
      }
    }
    if (page.length < 1000) return result;
    afterId = page[page.length - 1]!.auditEventId;
  }
}

/** Whether an archive of the organization was taken after the event was minted (so its row left legitimately). */
async function archivedEvent(db: Db, org: string, auditEventId: string): Promise<boolean> {
  // Audit event ids are UUIDv7: their first 48 bits are the millisecond they were minted.
  const mintedAt = new Date(Number.parseInt(auditEventId.replace(/-/g, '').slice(0, 12), 16));
  const [a] = await db
    .select({ id: auditArchives.id })
    .from(auditArchives)
    .where(and(eq(auditArchives.organizationId, org), gt(auditArchives.createdAt, mintedAt)))
    .limit(1);
  return a !== undefined;
}

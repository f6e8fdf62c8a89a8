// Reads one organization's audit rows in chain order, a page at a time (keyset on seq), so a verify or an
// export over millions of rows holds one page in memory. Every query is scoped to the organization.
import type { AuditChainRow } from '@cms/sdk';
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { auditEvents } from '../db/schema/index.js';

export type AuditEventRow = typeof auditEvents.$inferSelect;

/** The hashed form of a stored row (what `computeAuditEventHash` covers, plus its stated hash). */
export function chainRowOf(row: AuditEventRow): AuditChainRow {
  return {
    id: row.id,
    organizationId: row.organizationId,
    seq: row.seq,
    occurredAt: row.occurredAt.toISOString(),
    actorDid: row.actorDid,
    action: row.action,
    resource: { type: row.resourceType, id: row.resourceId },
    data: row.data,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

export interface AuditRowRange {
  organizationId: string;
  /** Rows with seq greater than this. @default 0 */
  afterSeq?: number;
  /** Rows with seq up to this one (inclusive); unbounded when undefined. */
  throughSeq?: number;
  /** @default 1000 */
  pageSize?: number;
}

/** Rows of `range` in seq order, fetched `pageSize` at a time. */
export async function* auditRows(db: Db, range: AuditRowRange): AsyncGenerator<AuditEventRow> {
  const pageSize = range.pageSize ?? 1000;
  let after = range.afterSeq ?? 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, range.organizationId),
          gt(auditEvents.seq, after),
          range.throughSeq === undefined ? undefined : lte(auditEvents.seq, range.throughSeq),
        ),
      )
      .orderBy(asc(auditEvents.seq))
      .limit(pageSize);
    for (const row of page) yield row;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.seq;
  }
}

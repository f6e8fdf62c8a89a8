// GET /v1/audit/events: one organization's audit events in chain order, filtered, keyset-paginated on seq.
import { and, asc, eq, gt, gte, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { auditEvents } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { AuditEventList } from '../generated/schemas.js';
import { chainRowOf } from './audit-rows.js';

export interface ListAuditEventsQuery {
  from?: string;
  to?: string;
  actorDid?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  contractId?: string;
  limit: number;
  cursor?: string;
}

const encodeCursor = (seq: number) => Buffer.from(`a1:${seq}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const m = /^a1:([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m)
    throw new AppError('validation_failed', 'The cursor is not one this API returned.', {
      errors: [{ path: '/query/cursor', message: 'invalid cursor' }],
    });
  return Number(m[1]);
}

/** Rejects a `from` that is not before `to` (an empty range is always a mistake). */
export function timeRange(q: { from?: string; to?: string }): { from?: Date; to?: Date } {
  const from = q.from === undefined ? undefined : new Date(q.from);
  const to = q.to === undefined ? undefined : new Date(q.to);
  if (from && to && from.getTime() >= to.getTime())
    throw new AppError('validation_failed', '`from` must be before `to`.', {
      errors: [{ path: '/query/to', message: 'must be after from' }],
    });
  return { from, to };
}

export async function listAuditEvents(
  db: Db,
  organizationId: string,
  q: ListAuditEventsQuery,
): Promise<AuditEventList> {
  const { from, to } = timeRange(q);
  if (q.contractId && q.resourceType && q.resourceType !== 'contract')
    throw new AppError('validation_failed', '`contractId` selects resources of type contract.', {
      errors: [{ path: '/query/resourceType', message: 'conflicts with contractId' }],
    });
  if (q.contractId && q.resourceId && q.resourceId !== q.contractId)
    throw new AppError('validation_failed', '`contractId` and `resourceId` name different resources.', {
      errors: [{ path: '/query/resourceId', message: 'conflicts with contractId' }],
    });
  const conditions: (SQL | undefined)[] = [
    eq(auditEvents.organizationId, organizationId),
    q.cursor ? gt(auditEvents.seq, decodeCursor(q.cursor)) : undefined,
    from ? gte(auditEvents.occurredAt, from) : undefined,
    to ? lt(auditEvents.occurredAt, to) : undefined,
    q.actorDid ? eq(auditEvents.actorDid, q.actorDid) : undefined,
    q.action ? eq(auditEvents.action, q.action) : undefined,
    q.contractId ? eq(auditEvents.resourceType, 'contract') : undefined,
    q.contractId ? eq(auditEvents.resourceId, q.contractId) : undefined,
    q.resourceType ? eq(auditEvents.resourceType, q.resourceType) : undefined,
    q.resourceId ? eq(auditEvents.resourceId, q.resourceId) : undefined,
  ];
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(asc(auditEvents.seq))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    data: page.map(chainRowOf),
    nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!.seq) : null,
  };
}

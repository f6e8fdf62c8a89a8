// Reads a caller's contract events in commit order. Readers follow (tx_id, id), not id alone, and take
// only rows of transactions older than every transaction still running (`pg_snapshot_xmin`): a row
// whose transaction commits late then always sorts after what a reader has passed, so nothing is
// skipped. Raw SQL fragments because drizzle has no xid8 functions or row comparisons.
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { contractEvents, contractParties } from '../db/schema/index.js';
import type { ContractEvent, ContractEventType } from '../generated/schemas.js';

/** A position in the event order: after every event up to and including `id` of transaction `tx`. */
export interface EventCursor {
  /** xid8 as a decimal string. */
  tx: string;
  id: number;
}

/** Who reads (their organization's contracts and the contracts their DID is a party to) and which events. */
export interface EventReader {
  organizationId: string;
  did: string;
  types?: ContractEventType[];
  contractId?: string;
}

const settled = sql`${contractEvents.txId} < pg_snapshot_xmin(pg_current_snapshot())`;

/** The cursor after the newest settled event: where a stream without `Last-Event-ID` starts. */
export async function headCursor(db: Db): Promise<EventCursor> {
  const [row] = await db
    .select({ tx: contractEvents.txId, id: contractEvents.id })
    .from(contractEvents)
    .where(settled)
    .orderBy(desc(contractEvents.txId), desc(contractEvents.id))
    .limit(1);
  return row ? { tx: String(row.tx), id: row.id } : { tx: '0', id: 0 };
}

export type ResumeResult = { cursor: EventCursor } | { reset: 'expired' | 'unknown' };

/** The cursor after event `id` (a `Last-Event-ID`), or why it cannot be resumed from. */
export async function resumeCursor(db: Db, id: number): Promise<ResumeResult> {
  const [row] = await db.select({ tx: contractEvents.txId }).from(contractEvents).where(eq(contractEvents.id, id));
  if (row) return { cursor: { tx: String(row.tx), id } };
  // Ids up to the sequence's last value were issued: that one is gone (retention, or rolled back).
  const { rows } = (await db.execute(sql`select last_value, is_called from contract_events_id_seq`)) as unknown as { rows: { last_value: string | number; is_called: boolean }[] };
  const last = rows[0] && rows[0].is_called ? Number(rows[0].last_value) : 0;
  return { reset: id <= last ? 'expired' : 'unknown' };
}

/** Up to `limit` events after `cursor` that `reader` may see, oldest first, and the cursor after them. */
export async function readEvents(db: Db, reader: EventReader, cursor: EventCursor, limit: number): Promise<{ events: ContractEvent[]; cursor: EventCursor }> {
  const partyOf = db.select({ contractId: contractParties.contractId }).from(contractParties).where(eq(contractParties.did, reader.did));
  const rows = await db
    .select()
    .from(contractEvents)
    .where(
      and(
        sql`(${contractEvents.txId}, ${contractEvents.id}) > (${cursor.tx}::xid8, ${cursor.id}::bigint)`,
        settled,
        // Tenant isolation: members see their organization's contracts, parties the contracts they are party to.
        or(eq(contractEvents.organizationId, reader.organizationId), inArray(contractEvents.contractId, partyOf)),
        reader.types?.length ? inArray(contractEvents.type, reader.types) : undefined,
        reader.contractId ? eq(contractEvents.contractId, reader.contractId) : undefined,
      ),
    )
    .orderBy(asc(contractEvents.txId), asc(contractEvents.id))
    .limit(limit);
  const last = rows.at(-1);
  return {
    events: rows.map((r) => ({
      id: String(r.id),
      type: r.type as ContractEventType,
      contractId: r.contractId,
      organizationId: r.organizationId,
      occurredAt: r.createdAt.toISOString(),
      data: r.payload as ContractEvent['data'],
    })),
    cursor: last ? { tx: String(last.txId), id: last.id } : cursor,
  };
}

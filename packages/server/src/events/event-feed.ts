// One reader of new contract events per server instance, shared by all its open streams. A bus notice
// makes the feed read what was committed after its cursor (one query for the events, one for their
// contracts' parties), keep it in a bounded buffer and tell the streams; each stream then picks what
// its caller may see from memory. A stream that lags behind the buffer (replay after Last-Event-ID, a
// slow client) reads the table itself, as before. Ids become visible in id order (see
// db/contract-event-order.ts), so reading "after the cursor" never skips an event.
import { asc, gt, inArray } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { contractEvents, contractParties } from '../db/schema/index.js';
import type { EventBus } from './event-bus.js';
import { type EventReader, newestEventId, type StreamEvent, streamEventOf } from './read-events.js';

interface FedEvent {
  event: StreamEvent;
  id: number;
  partyDids: readonly string[];
}

export interface EventFeed {
  /**
   * Up to `limit` events after `afterId` that `reader` may see, oldest first, when the buffer holds
   * every event after `afterId`; undefined when it does not (the stream reads the table instead).
   */
  eventsAfter(reader: EventReader, afterId: number, limit: number): StreamEvent[] | undefined;
  /** Reads what was committed since the last read (coalesced: concurrent callers share one read). */
  refresh(): Promise<void>;
  /** Calls `listener` with the events of every read that found some. */
  onEvents(listener: (events: readonly FedEvent[]) => void): () => void;
  /**
   * Counts so far: `reads` of the table (each: the events after the cursor, then their parties),
   * stream reads `served` from the buffer, and `missed` (the stream was behind it and read the table).
   */
  stats(): { reads: number; served: number; missed: number };
  close(): void;
}

/** Whether `reader` may see the event and asked for it. */
export function feedEventConcerns(reader: EventReader, e: FedEvent): boolean {
  if (reader.types?.length && !reader.types.includes(e.event.type)) return false;
  if (reader.contractId && ('contractId' in e.event ? e.event.contractId : undefined) !== reader.contractId) {
    return false;
  }
  return e.event.organizationId === reader.organizationId || e.partyDids.includes(reader.did);
}

export async function startEventFeed(
  db: Db,
  bus: EventBus,
  options: { bufferSize?: number; pageSize?: number } = {},
): Promise<EventFeed> {
  const bufferSize = options.bufferSize ?? 2000;
  const pageSize = options.pageSize ?? 500;
  // The buffer holds every event with an id in (coveredFrom, head].
  let head = await newestEventId(db);
  let coveredFrom = head;
  const buffer: FedEvent[] = [];
  const listeners = new Set<(events: readonly FedEvent[]) => void>();
  let closed = false;
  let reads = 0;
  let served = 0;
  let missed = 0;

  const readOnce = async () => {
    for (;;) {
      reads++;
      const rows = await db
        .select()
        .from(contractEvents)
        .where(gt(contractEvents.id, head))
        .orderBy(asc(contractEvents.id))
        .limit(pageSize);
      if (!rows.length) return;
      // An organization's events about no contract have no parties.
      const contractIds = [...new Set(rows.flatMap((r) => (r.contractId ? [r.contractId] : [])))];
      const parties = contractIds.length
        ? await db
            .select({ contractId: contractParties.contractId, did: contractParties.did })
            .from(contractParties)
            .where(inArray(contractParties.contractId, contractIds))
        : [];
      const didsOf = new Map<string, string[]>();
      for (const p of parties) {
        const list = didsOf.get(p.contractId);
        if (list) list.push(p.did);
        else didsOf.set(p.contractId, [p.did]);
      }
      const fresh: FedEvent[] = rows.map((r) => ({
        id: r.id,
        partyDids: (r.contractId && didsOf.get(r.contractId)) || [],
        event: streamEventOf(r),
      }));
      buffer.push(...fresh);
      head = fresh[fresh.length - 1]!.id;
      if (buffer.length > bufferSize) coveredFrom = buffer.splice(0, buffer.length - bufferSize).at(-1)!.id;
      for (const listener of listeners) listener(fresh);
      if (rows.length < pageSize) return;
    }
  };

  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    if (closed) return Promise.resolve();
    // A read in flight may have started before the caller's commit: one more read follows it.
    if (running) {
      queued ??= running.then(
        () => {
          queued = undefined;
          return refresh();
        },
        () => {
          queued = undefined;
          return refresh();
        },
      );
      return queued;
    }
    running = readOnce().finally(() => {
      running = undefined;
    });
    return running;
  };

  const unsubscribe = bus.subscribe(() => {
    // A failed read leaves the cursor; the streams' heartbeats retry.
    refresh().catch(() => {});
  });

  return {
    eventsAfter(reader, afterId, limit) {
      if (afterId < coveredFrom) {
        missed++;
        return undefined;
      }
      served++;
      const out: StreamEvent[] = [];
      // Ids are increasing: skip to the first after `afterId`.
      let lo = 0;
      let hi = buffer.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (buffer[mid]!.id <= afterId) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < buffer.length && out.length < limit; i++)
        if (feedEventConcerns(reader, buffer[i]!)) out.push(buffer[i]!.event);
      return out;
    },
    refresh,
    stats: () => ({ reads, served, missed }),
    onEvents(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      closed = true;
      unsubscribe();
      listeners.clear();
    },
  };
}

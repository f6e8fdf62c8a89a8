// Wake-up notices between writers and event streams: after a commit, the writer publishes which
// organizations and party DIDs the new events concern; each stream that may see them re-reads the
// contract_events table. Notices carry no event data, so one lost notice delays a stream (until its
// next heartbeat read) but never loses an event.

/** Who the events of one commit concern. */
export interface EventNotice {
  /** The newest event id of the commit. */
  eventId: number;
  /** Organizations owning the contracts. */
  organizationIds: string[];
  /** DIDs of the contracts' parties (who may belong to other organizations). */
  partyDids: string[];
}

export interface EventBus {
  /** `memory` (this process) or `redis` (every instance sharing the Redis). */
  readonly kind: 'memory' | 'redis';
  /** Sends a notice to every instance (this one included); never throws. */
  publish(notice: EventNotice): void;
  /** Calls `listener` for every notice until the returned function is called. */
  subscribe(listener: (notice: EventNotice) => void): () => void;
  /**
   * Tells every instance that in-process facts named by `keys` (e.g. `session:<id>`) changed. This
   * instance's listeners run before it returns; the promise resolves once Redis has accepted the
   * message, which it delivers to every subscribed instance before answering. Rejects when it could
   * not be sent: the caller must fail rather than let other instances keep the stale fact.
   */
  invalidate(keys: string[]): Promise<void>;
  /** Calls `listener` with the keys of every invalidation, or `'all'` when some may have been missed. */
  onInvalidation(listener: (keys: string[] | 'all') => void): () => void;
  /**
   * Whether invalidations from every instance are arriving right now (always, for the in-process
   * bus). While false, in-process caches of shared facts must not be used.
   */
  invalidationsLive(): boolean;
  close(): Promise<void>;
}

/** Parses an invalidation from the wire; undefined for anything malformed. */
export function parseInvalidation(text: string): string[] | undefined {
  try {
    const keys = JSON.parse(text) as unknown;
    return Array.isArray(keys) && keys.every((k) => typeof k === 'string') ? keys : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a notice concerns a caller (a member of `organizationId` logged in as `did`). */
export const noticeConcerns = (notice: EventNotice, organizationId: string, did: string) =>
  notice.organizationIds.includes(organizationId) || notice.partyDids.includes(did);

/** Parses a notice from the wire; undefined for anything malformed (a foreign publisher on the channel). */
export function parseNotice(text: string): EventNotice | undefined {
  try {
    const n = JSON.parse(text) as Partial<EventNotice>;
    const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (typeof n.eventId !== 'number' || !strings(n.organizationIds) || !strings(n.partyDids)) return undefined;
    return { eventId: n.eventId, organizationIds: n.organizationIds, partyDids: n.partyDids };
  } catch {
    return undefined;
  }
}

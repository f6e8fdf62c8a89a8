// Sessions remembered in this process, so an authenticated request needs no round trip to the store.
// Every write or deletion of a session is announced on the event bus (`session:<id>`); each instance
// forgets the session when the notice arrives, and the writer awaits Redis accepting it before it
// answers. Redis hands a published message to every subscriber connection before it replies to the
// publisher, so by the time a revoke's response has left instance A, the notice is already in
// instance B's socket; B lets pending I/O run (one `setImmediate`) before trusting a cached session,
// so it has processed the notice before it answers a request sent after A's response.
//
// While the bus cannot promise that (its subscription is down or not yet confirmed), nothing is
// cached and every request reads the store, as without this cache.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createLruMap } from '../cache/lru-map.js';
import type { EventBus } from '../events/event-bus.js';
import type { Session } from './sessions.js';

export const sessionInvalidationKey = (sessionId: string) => `session:${sessionId}`;

export interface SessionCache {
  /** The session `id`, from this process when it is known fresh, else from `load` (and remembered). */
  get(id: string, load: () => Promise<Session | undefined>): Promise<Session | undefined>;
  close(): void;
}

export interface SessionCacheOptions {
  bus: EventBus;
  /** Sessions remembered. @default 10000 */
  max?: number;
  /**
   * Longest an entry is trusted, as a bound should a notice ever be lost while the subscription
   * looked healthy. @default 60000
   */
  maxAgeMs?: number;
  now?: () => number;
}

export function createSessionCache(options: SessionCacheOptions): SessionCache {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const entries = createLruMap<Session | undefined>({ max: options.max ?? 10_000, now });
  // Bumped by every invalidation: a load that started before one must not store what it read.
  let generation = 0;
  let closed = false;
  const stop = options.bus.onInvalidation((keys) => {
    generation++;
    if (keys === 'all') entries.clear();
    else for (const key of keys) if (key.startsWith('session:')) entries.delete(key.slice('session:'.length));
  });

  return {
    async get(id, load) {
      if (closed || !options.bus.invalidationsLive()) return load();
      if (entries.has(id)) {
        // Let notices already received by the socket be processed first (see above).
        await nextTurn();
        if (options.bus.invalidationsLive() && entries.has(id)) return entries.get(id);
      }
      const started = generation;
      const session = await load();
      if (started === generation && !closed && options.bus.invalidationsLive()) {
        // A missing session never comes back (ids are random): remembered as missing too.
        const expiresAt = Math.min(now() + maxAgeMs, session ? Date.parse(session.expiresAt) : now() + maxAgeMs);
        entries.set(id, session, expiresAt);
      }
      return session;
    },
    /** Stops listening; from then on every call loads (requests may still be draining). */
    close() {
      closed = true;
      entries.clear();
      stop();
    },
  };
}

// The response cache: JSON bodies of hot reads (a contract, an evidence bundle) under keys that name
// the exact version they show, so a change anywhere makes the next read look up a key nobody has
// written yet: nothing is ever invalidated, and no instance can serve a body older than the database.
// Shared in Redis when `REDIS_URL` is set; in this process otherwise. A cache that fails is bypassed:
// reads go to the database and the failure is logged once per outage.
import { fallbackLogger, type Logger } from '../observability/logger.js';
import type { KeyValueStore } from './key-value-store.js';

export interface ResponseCacheOptions {
  /** A Redis store (shared by every instance; the cache closes it); absent keeps entries in this process. */
  store?: KeyValueStore;
  /** How long an entry lives; 0 turns the cache off. @default 300 */
  ttlSeconds?: number;
  /** In-process only: entries kept at most, least recently used dropped first. @default 10000 */
  maxEntries?: number;
  /** Where an outage (and the recovery) is reported. @default warnings and errors as JSON on stdout */
  logger?: Logger;
}

export interface ResponseCache {
  /** The cached body, or undefined on a miss, when off, or when the store fails. Never throws. */
  get(key: string): Promise<string | undefined>;
  /** Stores a body; failures are swallowed (the next read rebuilds it). */
  set(key: string, body: string): Promise<void>;
  /** Lookups answered from the cache, and lookups that were not, since start. */
  readonly stats: { hits: number; misses: number };
  close(): Promise<void>;
}

const KEY_PREFIX = 'response:';
const RETRY_AFTER_MS = 5000;

export function createResponseCache(o: ResponseCacheOptions): ResponseCache {
  const ttlSeconds = o.ttlSeconds ?? 300;
  const logger = o.logger ?? fallbackLogger();
  const stats = { hits: 0, misses: 0 };
  const backend = o.store ?? lruStore(o.maxEntries ?? 10_000, ttlSeconds);
  let failing = false;
  // While the store fails, skip it for a while instead of paying a timeout on every read.
  let retryAt = 0;

  const guarded = async <T>(run: () => Promise<T>, fallback: T): Promise<T> => {
    if (failing && Date.now() < retryAt) return fallback;
    try {
      const result = await run();
      if (failing) logger.info('response cache reachable again');
      failing = false;
      return result;
    } catch (error) {
      // Only the error's class and message: they never carry the store's URL or credentials.
      if (!failing)
        logger.warn(
          { error: error instanceof Error ? error.message : String(error) },
          'response cache unavailable; reading from the database',
        );
      failing = true;
      retryAt = Date.now() + RETRY_AFTER_MS;
      return fallback;
    }
  };

  return {
    stats,
    async get(key) {
      const body = ttlSeconds > 0 ? await guarded(() => backend.get(KEY_PREFIX + key), undefined) : undefined;
      if (body === undefined) stats.misses++;
      else stats.hits++;
      return body;
    },
    async set(key, body) {
      if (ttlSeconds > 0) await guarded(() => backend.set(KEY_PREFIX + key, body, { ttlSeconds }), false);
    },
    close: async () => o.store?.close(),
  };
}

/** A bounded in-process map: insertion order doubles as recency (a hit moves the key to the end). */
function lruStore(maxEntries: number, ttlSeconds: number): Pick<KeyValueStore, 'get' | 'set'> {
  const entries = new Map<string, { body: string; expiresAt: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= Date.now()) return undefined;
      entries.set(key, entry);
      return entry.body;
    },
    async set(key, body) {
      entries.delete(key);
      entries.set(key, { body, expiresAt: Date.now() + ttlSeconds * 1000 });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return true;
    },
  };
}

// The embedded key-value store: a Map in this process, with lazy expiry plus a periodic sweep so
// keys nobody reads again do not accumulate. Every operation is synchronous inside, hence atomic.
import type { KeyValueStore, SetOptions } from './key-value-store.js';

interface Entry {
  value: string | Set<string>;
  /** Epoch ms; Infinity when the key has no TTL. */
  expiresAt: number;
}

const SWEEP_INTERVAL_MS = 30_000;

export function createMemoryStore(options: { now?: () => number } = {}): KeyValueStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const sweep = setInterval(() => {
    const t = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) entries.delete(key);
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const expiry = (ttlSeconds: number | undefined) => (ttlSeconds === undefined ? Infinity : now() + ttlSeconds * 1000);
  const stringOf = (entry: Entry | undefined) => (typeof entry?.value === 'string' ? entry.value : undefined);

  return {
    kind: 'memory',
    async get(key) {
      return stringOf(live(key));
    },
    async getMany(keys) {
      return keys.map((k) => stringOf(live(k)));
    },
    async set(key, value, opts: SetOptions = {}) {
      if (opts.ifAbsent && live(key)) return false;
      entries.set(key, { value, expiresAt: expiry(opts.ttlSeconds) });
      return true;
    },
    async consume(key) {
      const value = stringOf(live(key));
      if (value !== undefined) entries.delete(key);
      return value;
    },
    async delete(...keys) {
      let n = 0;
      for (const key of keys) if (live(key) && entries.delete(key)) n++;
      return n;
    },
    async setMax(key, value, opts) {
      const current = stringOf(live(key));
      entries.set(key, {
        value: current !== undefined && current >= value ? current : value,
        expiresAt: expiry(opts.ttlSeconds),
      });
    },
    async increment(key, opts = {}) {
      const entry = live(key);
      const next = (entry ? Number(stringOf(entry) ?? NaN) : 0) + 1;
      if (!Number.isFinite(next)) throw new TypeError(`${key} does not hold an integer`);
      entries.set(key, { value: String(next), expiresAt: entry ? entry.expiresAt : expiry(opts.ttlSeconds) });
      return next;
    },
    async addToSet(key, member, opts = {}) {
      const entry = live(key);
      const set = entry && entry.value instanceof Set ? entry.value : new Set<string>();
      set.add(member);
      const expiresAt = Math.max(entry?.expiresAt ?? 0, expiry(opts.ttlSeconds));
      entries.set(key, { value: set, expiresAt });
    },
    async removeFromSet(key, ...members) {
      const entry = live(key);
      if (!(entry?.value instanceof Set)) return;
      for (const m of members) entry.value.delete(m);
      if (entry.value.size === 0) entries.delete(key);
    },
    async setMembers(key) {
      const entry = live(key);
      return entry?.value instanceof Set ? [...entry.value] : [];
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}

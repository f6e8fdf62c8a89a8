// A bounded in-process map that forgets the least recently used entry first, with an optional expiry
// per entry (epoch ms). Map keeps insertion order, so re-inserting on a hit is the whole LRU.

export interface LruMap<V> {
  /** The live value, or undefined when missing or expired (an expired entry is dropped). */
  get(key: string): V | undefined;
  /** Whether `key` holds a live entry (which may itself be `undefined`). */
  has(key: string): boolean;
  /** Stores `value` until `expiresAt` (epoch ms; omitted: until evicted). */
  set(key: string, value: V, expiresAt?: number): void;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

export function createLruMap<V>(options: { max: number; now?: () => number }): LruMap<V> {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: V; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    entries.delete(key);
    entries.set(key, entry);
    return entry;
  };
  return {
    get: (key) => live(key)?.value,
    has: (key) => live(key) !== undefined,
    set(key, value, expiresAt = Infinity) {
      entries.delete(key);
      entries.set(key, { value, expiresAt });
      while (entries.size > options.max) entries.delete(entries.keys().next().value as string);
    },
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}

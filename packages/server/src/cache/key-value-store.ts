// The key-value store behind sessions, login challenges and other short-lived data: Redis when
// `REDIS_URL` is set, in-process otherwise. Values are strings; every write may carry a TTL.

export interface SetOptions {
  /** Seconds until the key disappears; omitted keeps it until deleted. */
  ttlSeconds?: number;
  /** Write only when the key does not exist yet (Redis `NX`). */
  ifAbsent?: boolean;
}

export interface KeyValueStore {
  /** `memory` (this process only) or `redis` (shared by every instance). */
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | undefined>;
  /** Values of several keys at once, `undefined` where missing. */
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  /** Writes `value`; false only when `ifAbsent` was asked and the key already existed. */
  set(key: string, value: string, options?: SetOptions): Promise<boolean>;
  /** Reads and deletes in one atomic step: of concurrent callers, exactly one gets the value. */
  consume(key: string): Promise<string | undefined>;
  /** Deletes keys; resolves to how many existed. */
  delete(...keys: string[]): Promise<number>;
  /**
   * Writes `value` unless the key holds a greater one, compared as text (so give fixed-width values),
   * atomically; the key's lifetime becomes `ttlSeconds` either way.
   */
  setMax(key: string, value: string, options: { ttlSeconds: number }): Promise<void>;
  /** Adds 1 and returns the new value (a missing key counts as 0); `ttlSeconds` applies when it creates the key. */
  increment(key: string, options?: { ttlSeconds?: number }): Promise<number>;
  /** Adds a member to the set at `key`, extending the set's lifetime to at least `ttlSeconds`. */
  addToSet(key: string, member: string, options?: { ttlSeconds?: number }): Promise<void>;
  removeFromSet(key: string, ...members: string[]): Promise<void>;
  setMembers(key: string): Promise<string[]>;
  /** Round-trips to the store; used by the readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The store could not be reached; requests that need it answer 503. */
export class KeyValueStoreUnavailableError extends Error {
  override name = 'KeyValueStoreUnavailableError';
}

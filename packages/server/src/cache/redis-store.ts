// The shared key-value store on Redis (ioredis). Every key gets `keyPrefix`, so several deployments
// (or parallel test servers) can share one Redis without seeing each other's keys.

import { type KeyValueStore, KeyValueStoreUnavailableError } from './key-value-store.js';
import { createRedisClient, describeRedis, type RedisTarget } from './redis-client.js';

export interface RedisStoreOptions extends RedisTarget {
  /** Prepended to every key. @default 'cms:' */
  keyPrefix?: string;
  /** Give up on a command after this long. @default 2000 */
  commandTimeoutMs?: number;
}

// SET with an optional TTL, then EXPIRE only when it extends the set's lifetime (sets shared by sessions).
const ADD_TO_SET = `
redis.call('SADD', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if ttl > 0 and redis.call('TTL', KEYS[1]) < ttl then redis.call('EXPIRE', KEYS[1], ttl) end
return 1`;
// INCR that sets the TTL only when it created the key.
const INCREMENT = `
local n = redis.call('INCR', KEYS[1])
local ttl = tonumber(ARGV[1])
if n == 1 and ttl > 0 then redis.call('EXPIRE', KEYS[1], ttl) end
return n`;

// SET when the key is missing or holds a smaller value (text order), and the TTL either way.
const SET_MAX = `
local current = redis.call('GET', KEYS[1])
if not current or current < ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) else redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1`;

export async function createRedisStore(
  options: RedisStoreOptions,
): Promise<KeyValueStore & { deleteAllKeys(): Promise<void> }> {
  const keyPrefix = options.keyPrefix ?? 'cms:';
  const redis = createRedisClient(options, {
    keyPrefix,
    lazyConnect: true,
    // Fail fast instead of queueing requests forever while Redis is down; the caller answers 503.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    connectTimeout: 5000,
  });
  // Connection errors surface on the commands that fail; without a listener ioredis would log them all.
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (cause) {
    redis.disconnect();
    throw new KeyValueStoreUnavailableError(`cannot connect to ${describeRedis(options)}`, { cause });
  }

  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw new KeyValueStoreUnavailableError('Redis command failed', { cause });
    }
  };
  const orUndefined = (v: string | null) => v ?? undefined;

  return {
    kind: 'redis',
    get: (key) => call(async () => orUndefined(await redis.get(key))),
    getMany: (keys) => call(async () => (keys.length ? (await redis.mget(...keys)).map(orUndefined) : [])),
    set: (key, value, opts = {}) =>
      call(async () => {
        const args: (string | number)[] = [];
        if (opts.ttlSeconds !== undefined) args.push('EX', Math.max(1, Math.ceil(opts.ttlSeconds)));
        if (opts.ifAbsent) args.push('NX');
        const reply = await (redis.set as (...a: unknown[]) => Promise<string | null>)(key, value, ...args);
        return reply === 'OK';
      }),
    consume: (key) => call(async () => orUndefined(await redis.getdel(key))),
    delete: (...keys) => call(async () => (keys.length ? redis.del(...keys) : 0)),
    setMax: (key, value, opts) =>
      call(async () => void (await redis.eval(SET_MAX, 1, key, value, Math.max(1, Math.ceil(opts.ttlSeconds))))),
    increment: (key, opts = {}) =>
      call(async () => Number(await redis.eval(INCREMENT, 1, key, Math.ceil(opts.ttlSeconds ?? 0)))),
    addToSet: (key, member, opts = {}) =>
      call(async () => void (await redis.eval(ADD_TO_SET, 1, key, member, Math.ceil(opts.ttlSeconds ?? 0)))),
    removeFromSet: (key, ...members) => call(async () => void (members.length && (await redis.srem(key, ...members)))),
    setMembers: (key) => call(() => redis.smembers(key)),
    ping: () => call(async () => void (await redis.ping())),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
    /** Deletes every key under this store's prefix (test servers clean up after themselves). */
    async deleteAllKeys() {
      let cursor = '0';
      do {
        // SCAN does not apply keyPrefix to MATCH, and returns full key names.
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length) await redis.del(...keys.map((k) => k.slice(keyPrefix.length)));
      } while (cursor !== '0');
    },
  };
}

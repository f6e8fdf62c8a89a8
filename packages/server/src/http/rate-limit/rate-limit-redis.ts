// The rate limiter's own Redis connection (same server and key prefix as the session store). Its own,
// because a limit check sits in front of every request: it gets a short command timeout and no offline
// queue, so a slow or lost Redis costs a request at most that timeout before fail-open/closed applies.
import type { Redis } from 'ioredis';
import { KeyValueStoreUnavailableError } from '../../cache/key-value-store.js';
import { createRedisClient, describeRedis, type RedisTarget } from '../../cache/redis-client.js';

export async function openRateLimitRedis(target: RedisTarget, keyPrefix: string): Promise<Redis> {
  const redis = createRedisClient(target, {
    keyPrefix,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 5000,
  });
  // Failures surface on the limit checks (counted and logged there); without a listener ioredis logs each one.
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (cause) {
    redis.disconnect();
    throw new KeyValueStoreUnavailableError(`cannot connect to ${describeRedis(target)}`, { cause });
  }
  return redis;
}

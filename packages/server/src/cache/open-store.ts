// Picks the key-value store for a server: Redis when configured, the in-process store otherwise.
import type { KeyValueStore } from './key-value-store.js';
import { createMemoryStore } from './memory-store.js';
import type { RedisTarget } from './redis-client.js';
import { createRedisStore } from './redis-store.js';

export type StoreConfig = { engine: 'memory' } | ({ engine: 'redis'; keyPrefix: string } & RedisTarget);

export async function openKeyValueStore(config: StoreConfig): Promise<KeyValueStore> {
  return config.engine === 'redis'
    ? createRedisStore({ url: config.url, sentinel: config.sentinel, keyPrefix: config.keyPrefix })
    : createMemoryStore();
}

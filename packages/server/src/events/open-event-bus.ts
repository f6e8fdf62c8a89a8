// Picks the event bus like the key-value store: Redis pub/sub when configured, in-process otherwise.
import type { StoreConfig } from '../cache/open-store.js';
import type { EventBus } from './event-bus.js';
import { createMemoryEventBus } from './memory-event-bus.js';
import { createRedisEventBus } from './redis-event-bus.js';

export async function openEventBus(config: StoreConfig): Promise<EventBus> {
  return config.engine === 'redis' ? createRedisEventBus({ url: config.url, keyPrefix: config.keyPrefix }) : createMemoryEventBus();
}

// Picks the event bus like the key-value store: Redis pub/sub when configured, in-process otherwise.
import type { StoreConfig } from '../cache/open-store.js';
import type { Logger } from '../observability/logger.js';
import type { EventBus } from './event-bus.js';
import { createMemoryEventBus } from './memory-event-bus.js';
import { createRedisEventBus } from './redis-event-bus.js';

export async function openEventBus(config: StoreConfig, logger: Logger): Promise<EventBus> {
  return config.engine === 'redis'
    ? createRedisEventBus({ url: config.url, sentinel: config.sentinel, keyPrefix: config.keyPrefix, logger })
    : createMemoryEventBus();
}

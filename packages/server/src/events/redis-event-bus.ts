// The event bus across server instances: Redis pub/sub on `<keyPrefix>events`. Each instance holds one
// dedicated subscriber connection (a subscribed connection can run no other command) and one publisher
// connection, and fans notices out to its own streams in-process.
import { createRedisClient, type RedisTarget } from '../cache/redis-client.js';
import { fallbackLogger, type Logger } from '../observability/logger.js';
import type { EventBus } from './event-bus.js';
import { parseNotice } from './event-bus.js';
import { createMemoryEventBus } from './memory-event-bus.js';

export interface RedisEventBusOptions extends RedisTarget {
  /** The channel is `<keyPrefix>events`. */
  keyPrefix: string;
  /** Where a lost connection is reported. @default warnings and errors as JSON on stdout */
  logger?: Logger;
}

export async function createRedisEventBus(options: RedisEventBusOptions): Promise<EventBus> {
  const channel = `${options.keyPrefix}events`;
  const logger = options.logger ?? fallbackLogger();
  const local = createMemoryEventBus();
  const connection = { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 1 };
  // The subscriber keeps retrying forever (ioredis re-subscribes on reconnect); streams still read the
  // table on every heartbeat meanwhile.
  const subscriber = createRedisClient(options, connection);
  // Publishing is best effort: a failed notice only delays streams until their next heartbeat read.
  const publisher = createRedisClient(options, { ...connection, enableOfflineQueue: false, commandTimeout: 2000 });
  let warned = false;
  const warn = (msg: string) => (error: unknown) => {
    if (warned) return;
    warned = true;
    logger.warn({ error: error instanceof Error ? error.message : String(error) }, msg);
  };
  subscriber.on('error', warn('event bus: Redis subscriber connection failed; streams fall back to heartbeat reads'));
  publisher.on('error', () => {});
  subscriber.on('ready', () => (warned = false));
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    const notice = parseNotice(text);
    if (notice) local.publish(notice);
  });
  try {
    await Promise.all([subscriber.connect(), publisher.connect()]);
    await subscriber.subscribe(channel);
  } catch (error) {
    subscriber.disconnect();
    publisher.disconnect();
    throw error;
  }
  return {
    kind: 'redis',
    publish(notice) {
      publisher.publish(channel, JSON.stringify(notice)).catch(warn('event bus: publishing a notice to Redis failed'));
    },
    subscribe: (listener) => local.subscribe(listener),
    async close() {
      await local.close();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}

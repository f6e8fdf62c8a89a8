// The event bus across server instances: Redis pub/sub on `<keyPrefix>events` (event notices) and
// `<keyPrefix>invalidations` (in-process caches of shared facts, e.g. sessions). Each instance holds one
// dedicated subscriber connection (a subscribed connection can run no other command) and one publisher
// connection, and fans messages out to its own listeners in-process.
import { createRedisClient, type RedisTarget } from '../cache/redis-client.js';
import { fallbackLogger, type Logger } from '../observability/logger.js';
import type { EventBus } from './event-bus.js';
import { parseInvalidation, parseNotice } from './event-bus.js';
import { createMemoryEventBus } from './memory-event-bus.js';

export interface RedisEventBusOptions extends RedisTarget {
  /** The channels are `<keyPrefix>events` and `<keyPrefix>invalidations`. */
  keyPrefix: string;
  /** Where a lost connection is reported. @default warnings and errors as JSON on stdout */
  logger?: Logger;
}

export async function createRedisEventBus(options: RedisEventBusOptions): Promise<EventBus> {
  const channel = `${options.keyPrefix}events`;
  const invalidationChannel = `${options.keyPrefix}invalidations`;
  const logger = options.logger ?? fallbackLogger();
  const local = createMemoryEventBus();
  const connection = { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 1 };
  // The subscriber keeps retrying forever (ioredis re-subscribes on reconnect); streams still read the
  // table on every heartbeat meanwhile.
  const subscriber = createRedisClient(options, { ...connection, connectionName: `${options.keyPrefix}event-bus` });
  // Notices are best effort: a failed one only delays streams until their next heartbeat read.
  // Invalidations are not: their publisher rejects, and the write that needed them fails.
  const publisher = createRedisClient(options, { ...connection, enableOfflineQueue: false, commandTimeout: 2000 });
  let warned = false;
  const warn = (msg: string) => (error: unknown) => {
    if (warned) return;
    warned = true;
    logger.warn({ error: error instanceof Error ? error.message : String(error) }, msg);
  };
  // Invalidations are trusted only while the subscription is known to be up: from the subscribe
  // reply until the connection closes. Whatever was published in between is unknown, so caches are
  // told to forget everything on both edges.
  let live = false;
  const forgetAll = new Set<(keys: string[] | 'all') => void>();
  const dropLive = () => {
    if (!live) return;
    live = false;
    for (const listener of forgetAll) listener('all');
  };
  subscriber.on('error', warn('event bus: Redis subscriber connection failed; streams fall back to heartbeat reads'));
  subscriber.on('close', dropLive);
  subscriber.on('end', dropLive);
  publisher.on('error', () => {});
  subscriber.on('message', (from: string, text: string) => {
    if (from === invalidationChannel) {
      const keys = parseInvalidation(text);
      if (keys) for (const listener of forgetAll) listener(keys);
      return;
    }
    if (from !== channel) return;
    const notice = parseNotice(text);
    if (notice) local.publish(notice);
  });
  const subscribe = async () => {
    await subscriber.subscribe(channel, invalidationChannel);
    // Anything cached before this reply may have missed an invalidation.
    for (const listener of forgetAll) listener('all');
    live = subscriber.status === 'ready';
  };
  try {
    await Promise.all([subscriber.connect(), publisher.connect()]);
    await subscribe();
  } catch (error) {
    subscriber.disconnect();
    publisher.disconnect();
    throw error;
  }
  // After a reconnect (ioredis re-subscribes too; subscribing twice is harmless), live again once
  // this subscription is confirmed.
  subscriber.on('ready', () => {
    warned = false;
    subscribe().catch(() => {});
  });
  return {
    kind: 'redis',
    publish(notice) {
      publisher.publish(channel, JSON.stringify(notice)).catch(warn('event bus: publishing a notice to Redis failed'));
    },
    subscribe: (listener) => local.subscribe(listener),
    async invalidate(keys) {
      for (const listener of forgetAll) listener(keys);
      await publisher.publish(invalidationChannel, JSON.stringify(keys));
    },
    onInvalidation(listener) {
      forgetAll.add(listener);
      return () => void forgetAll.delete(listener);
    },
    invalidationsLive: () => live,
    async close() {
      live = false;
      forgetAll.clear();
      await local.close();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}

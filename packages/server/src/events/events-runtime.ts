// What a server needs for live events: the bus between writers and streams, the shared reader of new
// events, the per-user stream bound and the stream settings.
import type { StoreConfig } from '../cache/open-store.js';
import type { EventsConfig } from '../config.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { connectEventBus } from './announce-events.js';
import type { EventBus } from './event-bus.js';
import { type EventFeed, startEventFeed } from './event-feed.js';
import { openEventBus } from './open-event-bus.js';
import { createStreamLimiter, type StreamLimiter } from './stream-limiter.js';

export interface EventsRuntime {
  bus: EventBus;
  /** This instance's one reader of new events, shared by its open streams. */
  feed: EventFeed;
  streams: StreamLimiter;
  config: EventsConfig;
  close(): Promise<void>;
}

export async function startEvents(
  db: Db,
  store: StoreConfig,
  config: EventsConfig,
  logger: Logger,
): Promise<EventsRuntime> {
  const bus = await openEventBus(store, logger);
  const disconnect = connectEventBus(db, bus);
  let feed: EventFeed;
  try {
    feed = await startEventFeed(db, bus);
  } catch (error) {
    disconnect();
    await bus.close();
    throw error;
  }
  return {
    bus,
    feed,
    streams: createStreamLimiter(config.maxStreamsPerUser),
    config,
    async close() {
      feed.close();
      disconnect();
      await bus.close();
    },
  };
}

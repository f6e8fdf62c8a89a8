// The event bus of a single server (no Redis): an in-process EventEmitter.
import { EventEmitter } from 'node:events';
import type { EventBus, EventNotice } from './event-bus.js';

export function createMemoryEventBus(): EventBus {
  const emitter = new EventEmitter();
  const invalidations = new Set<(keys: string[] | 'all') => void>();
  // One listener per open stream; the stream limit bounds them, not Node's leak warning.
  emitter.setMaxListeners(0);
  return {
    kind: 'memory',
    // Delivered on a later tick, as Redis would: a publisher never runs stream code synchronously.
    publish: (notice) => void queueMicrotask(() => emitter.emit('notice', notice)),
    subscribe(listener: (notice: EventNotice) => void) {
      emitter.on('notice', listener);
      return () => void emitter.off('notice', listener);
    },
    // Synchronous: a cache in this process forgets the fact before the write's response is sent.
    async invalidate(keys) {
      for (const listener of invalidations) listener(keys);
    },
    onInvalidation(listener) {
      invalidations.add(listener);
      return () => void invalidations.delete(listener);
    },
    invalidationsLive: () => true,
    async close() {
      emitter.removeAllListeners();
      invalidations.clear();
    },
  };
}

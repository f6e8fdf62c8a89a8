// The event bus of a single server (no Redis): an in-process EventEmitter.
import { EventEmitter } from 'node:events';
import type { EventBus, EventNotice } from './event-bus.js';

export function createMemoryEventBus(): EventBus {
  const emitter = new EventEmitter();
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
    close: async () => void emitter.removeAllListeners(),
  };
}

// Connects a database to the event bus of its server, so that code writing contract events (contract
// services, the ledger worker) announces them after commit without every service function taking the bus.
import type { Db } from '../db/database.js';
import type { EventBus, EventNotice } from './event-bus.js';

const buses = new WeakMap<Db, EventBus>();

export function connectEventBus(db: Db, bus: EventBus): () => void {
  buses.set(db, bus);
  return () => void buses.delete(db);
}

/** Publishes the notice of a committed transaction; a database without a bus (a bare test database) does nothing. */
export function announceEvents(db: Db, notice: EventNotice | undefined): void {
  if (notice) buses.get(db)?.publish(notice);
}

// Read-your-writes across server instances. After a caller's write commits, the primary's WAL position
// is stored under the caller's user id in the shared key-value store (Redis when configured, which every
// instance already asks for the caller's session); any instance then reads that position together with
// the session (the two commands are pipelined on one connection: no extra round trip) and sends the
// caller's reads to a replica only once it has replayed that position, to the primary until then.
// Without replicas none of this runs.
import type { KeyValueStore } from '../cache/key-value-store.js';
import type { Database } from './database.js';
import { lsnFromKey, lsnKey } from './wal-position.js';

export interface WritePositions {
  /**
   * The position the caller's reads must see: its last write's, or undefined when it wrote nothing
   * recently. When the store fails, a position no replica has (the read goes to the primary).
   */
  readAfter(userId: string): Promise<bigint | undefined>;
  /** After the caller's write committed: records the primary's position as the caller's. */
  recordWrite(userId: string): Promise<void>;
}

export interface WritePositionsOptions {
  store: KeyValueStore;
  database: Database;
  /** How long a position matters: past the replicas' lag bound every serving replica has replayed it. */
  ttlSeconds: number;
  /** The store failed while recording a write (the write itself stands). */
  onRecordError?: (error: unknown) => void;
}

/** Greater than any real position: only the primary qualifies. */
export const PRIMARY_ONLY = (1n << 64n) - 1n;
const keyOf = (userId: string) => `write-position:${userId}`;

/** undefined when the database has no replicas: reads go to the primary anyway. */
export function createWritePositions(o: WritePositionsOptions): WritePositions | undefined {
  if (!o.database.replicas) return undefined;
  return {
    async readAfter(userId) {
      try {
        const stored = await o.store.get(keyOf(userId));
        return stored === undefined ? undefined : lsnFromKey(stored);
      } catch {
        return PRIMARY_ONLY;
      }
    },
    async recordWrite(userId) {
      try {
        const position = await o.database.writePosition();
        await o.store.setMax(keyOf(userId), lsnKey(position), { ttlSeconds: o.ttlSeconds });
      } catch (error) {
        o.onRecordError?.(error);
      }
    },
  };
}

/** Seconds after which a write is replayed on every replica still serving (lag ≤ bound, probed each interval). */
export function positionTtlSeconds(maxLagMs: number, probeIntervalMs: number): number {
  return Math.ceil((maxLagMs + 2 * probeIntervalMs) / 1000) + 1;
}

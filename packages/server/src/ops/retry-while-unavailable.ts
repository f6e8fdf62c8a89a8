// Start-up against a dependency that is not there yet (PostgreSQL or Redis restarting, or starting
// after the server): keep trying with capped backoff for a while instead of exiting at once, so that
// starting everything at the same time, or restarting a server during an outage, heals by itself.
import { KeyValueStoreUnavailableError } from '../cache/key-value-store.js';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import type { Logger } from '../observability/logger.js';

export interface RetryWhileUnavailableOptions {
  /** What is being opened, for the log. */
  what: string;
  /** Give up (rethrow) after this long. @default 60000 */
  timeoutMs?: number;
  /** Where each retry is reported. */
  logger?: Logger;
}

/** Runs `open` until it succeeds, retrying only unreachable-dependency errors; others are thrown at once. */
export async function retryWhileUnavailable<T>(open: () => Promise<T>, o: RetryWhileUnavailableOptions): Promise<T> {
  const until = Date.now() + (o.timeoutMs ?? 60_000);
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await open();
    } catch (error) {
      const transient = isDatabaseUnavailable(error) || error instanceof KeyValueStoreUnavailableError;
      if (!transient || Date.now() + delay > until) throw error;
      o.logger?.warn(
        { retryInMs: delay, error: error instanceof Error ? error.message : String(error) },
        `${o.what} unreachable at start-up; retrying`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

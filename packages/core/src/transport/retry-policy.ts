// Which failures are worth another attempt, and how long to wait before it: capped exponential backoff
// with full jitter (stripe-node `_getSleepTimeInMS`, AWS "full jitter"), or the server's `Retry-After`.

/** Statuses that say "try again later" rather than "this request is wrong". */
const RETRYABLE_STATUSES = new Set([408, 429, 502, 503, 504]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** First backoff step; doubled per retry. */
export const INITIAL_RETRY_DELAY_MS = 500;
/** Largest backoff step. */
export const MAX_RETRY_DELAY_MS = 8_000;
/** Longest `Retry-After` the SDK waits for: a server asking for more gets it, capped to this. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** A request may be sent again when it cannot change anything twice: a read, or a write the server deduplicates by key. */
export function isRetrySafe(request: Request): boolean {
  return SAFE_METHODS.has(request.method) || request.headers.has('idempotency-key');
}

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * Milliseconds to wait before retry number `retry` (1-based). `Retry-After` wins when present
 * (capped at {@link MAX_RETRY_AFTER_MS}); otherwise a random delay in [0, min(cap, initial·2^(retry-1))).
 */
export function retryDelayMs(retry: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, INITIAL_RETRY_DELAY_MS * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// Which failures are worth another attempt, and how long to wait before it: capped exponential backoff
// with jitter (stripe-node `_getSleepTimeInMS`: a random point in the upper half of the step), never
// shorter than the server's `Retry-After`. The defaults (5 retries: 0.5, 1, 2, 4, 4 s steps) wait
// 5.75–11.5 s in all, longer than a server restart (2–3.5 s) or a Redis or PostgreSQL restart.
import { backoffDelayMs } from '../backoff-delay.js';

/** Statuses that say "try again later" rather than "this request is wrong". */
const RETRYABLE_STATUSES = new Set([408, 429, 502, 503, 504]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** First backoff step; doubled per retry. */
export const INITIAL_RETRY_DELAY_MS = 500;
/** Largest backoff step. */
export const MAX_RETRY_DELAY_MS = 4_000;
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
 * A response worth another attempt: a retryable status, or 409 `idempotency_key_in_use` (the first
 * attempt with this key is still running, or its server died and its claim is about to lapse).
 */
export async function isRetryableResponse(response: Response): Promise<boolean> {
  if (isRetryableStatus(response.status)) return true;
  if (response.status !== 409) return false;
  try {
    return ((await response.clone().json()) as { code?: unknown }).code === 'idempotency_key_in_use';
  } catch {
    return false;
  }
}

/**
 * Milliseconds to wait before retry number `retry` (1-based): a random delay in [step/2, step) with
 * step = min(cap, initial·2^(retry-1)), or the server's `Retry-After` when that is longer (capped at
 * {@link MAX_RETRY_AFTER_MS}).
 */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const backoff = backoffDelayMs(
    retry,
    { initialMs: INITIAL_RETRY_DELAY_MS, maxMs: MAX_RETRY_DELAY_MS, jitter: 'equal' },
    random,
  );
  return retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

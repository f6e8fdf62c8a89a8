// When the next attempt of a delivery is due: the configured schedule (docs/webhooks.md) with ±20 %
// jitter, or later when the receiver asked for it with `Retry-After` (capped at one day).
const MAX_RETRY_AFTER_MS = 86_400_000;

/** Milliseconds a `Retry-After` value (seconds or an HTTP date) asks for, or undefined. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(at - now, 0), MAX_RETRY_AFTER_MS);
}

/**
 * The delay before attempt `attempts + 1` after `attempts` failed ones, or undefined when the schedule
 * is used up. `random` is injected so tests can pin the jitter.
 */
export function nextAttemptDelay(
  schedule: readonly number[],
  attempts: number,
  retryAfter: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (attempts >= schedule.length) return undefined;
  const base = schedule[attempts]!;
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  return Math.max(jittered, retryAfter ?? 0);
}

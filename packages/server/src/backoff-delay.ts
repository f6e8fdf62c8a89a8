// The one backoff of this package: capped exponential steps with jitter, so that many clients (or
// instances) that failed together do not come back together.

export interface Backoff {
  /** The first step; each attempt doubles it. */
  initialMs: number;
  /** The largest step. */
  maxMs: number;
  /**
   * `full`: anywhere in [0, step) (AWS "full jitter", for requests many clients retry at once);
   * `equal`: in [step/2, step) (a reconnect or a worker loop that should not retry at once).
   */
  jitter: 'full' | 'equal';
}

/** Milliseconds to wait before attempt `attempt` (1-based) after failures; `random` is for tests. */
export function backoffDelayMs(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const step = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(backoff.jitter === 'full' ? random() * step : step * (0.5 + random() / 2));
}

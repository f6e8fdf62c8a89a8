// Middleware that counts a request against all of its limits at once (one store round trip):
// `RateLimit-Policy` and `RateLimit` headers for every counted limit, 429 `rate_limited` with
// `Retry-After` at the first limit past its allowance. When the limit store (Redis) fails,
// `onStoreError` decides: `open` lets the request through, `closed` answers 503; both are counted in a
// metric and logged (at most once every 10 s, so an outage does not flood the log).
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../../errors/app-error.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { AppEnv } from '../app-env.js';
import type { Limit, LimitCounter, LimitDecision } from './limiter.js';

const WARN_EVERY_MS = 10_000;

export interface RateLimitOptions {
  onStoreError: 'open' | 'closed';
  logger: Logger;
  metrics: Metrics;
}

/** `checksOf`: the request's limits, in the order they apply, each with the key it is counted under. */
export function rateLimit(
  counter: LimitCounter,
  checksOf: (c: Context<AppEnv>) => (readonly [Limit, string])[],
  o: RateLimitOptions,
): MiddlewareHandler<AppEnv> {
  let lastWarning = 0;
  return async (c, next) => {
    const checks = checksOf(c);
    if (!checks.length) return next();
    let decisions: LimitDecision[];
    try {
      decisions = await counter.consume(checks);
    } catch (error) {
      const outcome = o.onStoreError === 'open' ? 'allowed' : 'refused';
      for (const [limit] of checks) o.metrics.rateLimitStoreErrors.inc({ limit: limit.name, outcome });
      if (Date.now() - lastWarning >= WARN_EVERY_MS) {
        lastWarning = Date.now();
        const limit = checks.map(([l]) => l.name).join(',');
        o.logger.warn({ limit, outcome, err: error }, 'rate-limit store unavailable');
      }
      if (outcome === 'refused')
        throw new AppError('service_unavailable', 'The rate-limit store is unavailable; retry shortly.', {
          headers: { 'retry-after': '1' },
        });
      return next();
    }
    for (const decision of decisions) {
      c.header('RateLimit-Policy', decision.limit.policy, { append: true });
      c.header('RateLimit', decision.state, { append: true });
      if (!decision.allowed) {
        o.metrics.rateLimitRejections.inc({ limit: decision.limit.name });
        const seconds = decision.retryAfterSeconds;
        throw new AppError('rate_limited', `Too many requests (${decision.limit.name} limit); retry in ${seconds} s.`, {
          headers: { 'retry-after': String(seconds) },
        });
      }
    }
    await next();
  };
}

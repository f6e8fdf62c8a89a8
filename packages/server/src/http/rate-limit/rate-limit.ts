// Middleware that counts a request against one limit: `RateLimit-Policy` and `RateLimit` headers on
// every counted response, 429 `rate_limited` with `Retry-After` past the limit. When the limit store
// (Redis) fails, `onStoreError` decides: `open` lets the request through, `closed` answers 503; both are
// counted in a metric and logged (at most once per limit every 10 s, so an outage does not flood the log).
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../../errors/app-error.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { AppEnv } from '../app-env.js';
import type { Limiter } from './limiter.js';

const WARN_EVERY_MS = 10_000;

export interface RateLimitOptions {
  onStoreError: 'open' | 'closed';
  logger: Logger;
  metrics: Metrics;
}

export function rateLimit(
  limiter: Limiter,
  keyOf: (c: Context<AppEnv>) => string,
  o: RateLimitOptions,
): MiddlewareHandler<AppEnv> {
  let lastWarning = 0;
  return async (c, next) => {
    let decision: Awaited<ReturnType<typeof limiter.consume>> | undefined;
    try {
      decision = await limiter.consume(keyOf(c));
    } catch (error) {
      const outcome = o.onStoreError === 'open' ? 'allowed' : 'refused';
      o.metrics.rateLimitStoreErrors.inc({ limit: limiter.name, outcome });
      if (Date.now() - lastWarning >= WARN_EVERY_MS) {
        lastWarning = Date.now();
        o.logger.warn({ limit: limiter.name, outcome, err: error }, 'rate-limit store unavailable');
      }
      if (outcome === 'refused')
        throw new AppError('service_unavailable', 'The rate-limit store is unavailable; retry shortly.', {
          headers: { 'retry-after': '1' },
        });
      return next();
    }
    c.header('RateLimit-Policy', limiter.policy, { append: true });
    c.header('RateLimit', decision.state, { append: true });
    if (!decision.allowed) {
      o.metrics.rateLimitRejections.inc({ limit: limiter.name });
      const seconds = decision.retryAfterSeconds;
      throw new AppError('rate_limited', `Too many requests (${limiter.name} limit); retry in ${seconds} s.`, {
        headers: { 'retry-after': String(seconds) },
      });
    }
    await next();
  };
}

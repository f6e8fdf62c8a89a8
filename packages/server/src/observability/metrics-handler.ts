// GET /metrics: the Prometheus scrape. With `CMS_METRICS_TOKEN` it needs that bearer token; without
// one, only clients on this machine (by socket address, never X-Forwarded-For) may read it.
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import { isLoopbackPeer } from '../http/client-ip.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Metrics } from './metrics.js';

export function metricsHandlers(
  metrics: Metrics,
  token: (() => string) | undefined,
): Pick<OperationHandlers, 'getMetrics'> {
  return {
    getMetrics: async (c) => {
      if (token) {
        const presented = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
        if (presented === undefined)
          throw new AppError('unauthenticated', 'Send the metrics token as "Authorization: Bearer <token>".', {
            headers: { 'www-authenticate': 'Bearer' },
          });
        if (!sameSecret(presented, token())) throw new AppError('invalid_token', 'The metrics token is not valid.');
      } else if (!isLoopbackPeer(c)) {
        throw new AppError('forbidden', 'Set CMS_METRICS_TOKEN to scrape metrics from another host.');
      }
      return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
    },
  };
}

/** Constant-time comparison (of digests, so lengths never leak either). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

// One log line and one histogram sample per request: method, route pattern (the spec path of the
// operation, so ids do not explode cardinality), status, duration, request id and, once authorization
// has run, the caller. At `debug` the line also carries the request headers, with credentials redacted
// by the logger. Bodies are never logged.
import type { MiddlewareHandler } from 'hono';
import { operationPolicies } from '../generated/routes.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { AppEnv } from './app-env.js';

export function requestLog(logger: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const operationId = c.get('operationId');
      const status = c.res.status;
      metrics.httpDuration.observe(
        { operation_id: operationId ?? 'unmatched', method: c.req.method, status: String(status) },
        seconds,
      );
      const level = status >= 500 ? 'error' : 'info';
      if (logger.isLevelEnabled(level)) {
        logger[level](
          {
            requestId: c.get('requestId'),
            method: c.req.method,
            route: operationId ? operationPolicies[operationId].path : c.req.routePath,
            operationId,
            status,
            durationMs: Math.round(seconds * 1e4) / 10,
            userId: c.get('principal')?.userId,
            ...(logger.isLevelEnabled('debug') && { headers: c.req.header() }),
          },
          'request',
        );
      }
    }
  };
}

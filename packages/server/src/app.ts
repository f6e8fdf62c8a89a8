// The HTTP application: one middleware chain, then every operation of the spec, then docs and the UI.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { authHandlers } from './auth/handlers.js';
import type { ServerConfig } from './config.js';
import { contractHandlers } from './contracts/handlers.js';
import { eventHandlers } from './events/handlers.js';
import { signingHandlers } from './signing/handlers.js';
import { AppError, type FieldError } from './errors/app-error.js';
import { mountApiDocs } from './http/api-docs.js';
import { noStoreByDefault } from './http/cache-control.js';
import type { AppEnv } from './http/app-env.js';
import { jsonBodyGuard } from './http/json-body.js';
import { ledgerHandlers } from './ledger/handlers.js';
import { registerOperations } from './http/operations.js';
import { problemResponse, toAppError } from './http/problem-response.js';
import type { GatewayRateLimits } from './http/rate-limit/gateway-rate-limits.js';
import { requestLog } from './http/request-log.js';
import { requestTimeout } from './http/request-timeout.js';
import { metricsHandlers } from './observability/metrics-handler.js';
import { opsHandlers } from './ops/handlers.js';
import { userHandlers } from './users/handlers.js';
import type { Services } from './services.js';

const TARGET_PATH: Record<string, string> = { json: '/body', query: '/query', param: '/params', header: '/headers' };

/** `rateLimits` undefined: no limits (`CMS_RATE_LIMIT=off`). */
export function createApp(config: ServerConfig, services: Services, rateLimits?: GatewayRateLimits) {
  const app = new OpenAPIHono<AppEnv>({
    // Schema violations become one 422 problem listing every invalid field.
    defaultHook: (result) => {
      if (result.success) return;
      const errors: FieldError[] = result.error.issues.map((i) => ({
        path: [TARGET_PATH[result.target] ?? `/${result.target}`, ...i.path.map(String)].join('/'),
        message: i.message,
      }));
      throw new AppError('validation_failed', undefined, { errors });
    },
  });

  // Correlates logs and error reports; echoes a well-formed incoming X-Request-Id.
  app.use(requestId());
  // One log line and one latency sample per request, whatever answers it (handler, limit, error).
  app.use(requestLog(services.logger, services.metrics));
  // Conservative browser security headers on every response.
  app.use(secureHeaders({ crossOriginResourcePolicy: 'same-origin' }));
  // Cross-origin browser access only for configured origins.
  if (config.corsOrigins.length) {
    app.use('/v1/*', cors({ origin: config.corsOrigins, exposeHeaders: ['X-Request-Id', 'ETag', 'Retry-After', 'RateLimit', 'RateLimit-Policy'], maxAge: 600 }));
  }
  // No request holds a connection forever (the event stream excepted).
  app.use('/v1/*', requestTimeout(config.requestTimeoutMs));
  // Per client address, before routing, parsing or authentication spend anything on the request.
  if (rateLimits) {
    app.use('/v1/*', rateLimits.perAddress);
    app.use('/.well-known/*', rateLimits.perAddress);
  }
  // API responses that set no caching policy (tokens, sessions, errors) are never stored by any cache.
  app.use('/v1/*', noStoreByDefault());
  // Caps request bodies before anything buffers them.
  app.use(bodyLimit({ maxSize: config.bodyLimitBytes, onError: () => { throw new AppError('payload_too_large', `The limit is ${config.bodyLimitBytes} bytes.`); } }));
  // Media type, JSON syntax and unstorable values, before schema validation.
  app.use('/v1/*', jsonBodyGuard());

  registerOperations(app, { ...opsHandlers(services), ...authHandlers(services), ...contractHandlers(services), ...ledgerHandlers(services), ...userHandlers(services), ...signingHandlers(services), ...eventHandlers(services), ...metricsHandlers(services.metrics, config.metricsToken) }, services.authenticate, () => services.database.db, rateLimits);
  mountApiDocs(app);
  if (config.webDir && existsSync(join(config.webDir, 'index.html'))) {
    app.use('/*', serveStatic({ root: config.webDir }));
  }

  app.notFound((c) => problemResponse(c, new AppError('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)));
  app.onError((error, c) => {
    const appError = toAppError(error);
    if (appError.code === 'internal_error') {
      // An unexpected failure: the stack goes to the operator's log only; the caller gets the request id to quote.
      services.logger.error({ requestId: c.get('requestId'), path: c.req.path, err: error }, 'unexpected error');
    }
    if (appError.status === 401) services.metrics.authFailures.inc({ code: appError.code });
    return problemResponse(c, appError);
  });
  return app;
}

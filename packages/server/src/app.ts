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
import { signingHandlers } from './signing/handlers.js';
import { AppError, type FieldError } from './errors/app-error.js';
import { mountApiDocs } from './http/api-docs.js';
import { noStoreByDefault } from './http/cache-control.js';
import type { AppEnv } from './http/app-env.js';
import { jsonBodyGuard } from './http/json-body.js';
import { ledgerHandlers } from './ledger/handlers.js';
import { registerOperations } from './http/operations.js';
import { problemResponse, toAppError } from './http/problem-response.js';
import { opsHandlers } from './ops/handlers.js';
import { userHandlers } from './users/handlers.js';
import type { Services } from './services.js';

const TARGET_PATH: Record<string, string> = { json: '/body', query: '/query', param: '/params', header: '/headers' };

export function createApp(config: ServerConfig, services: Services) {
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
  // Conservative browser security headers on every response.
  app.use(secureHeaders({ crossOriginResourcePolicy: 'same-origin' }));
  // Cross-origin browser access only for configured origins.
  if (config.corsOrigins.length) {
    app.use('/v1/*', cors({ origin: config.corsOrigins, exposeHeaders: ['X-Request-Id', 'ETag', 'Retry-After'], maxAge: 600 }));
  }
  // API responses that set no caching policy (tokens, sessions, errors) are never stored by any cache.
  app.use('/v1/*', noStoreByDefault());
  // Caps request bodies before anything buffers them.
  app.use(bodyLimit({ maxSize: config.bodyLimitBytes, onError: () => { throw new AppError('payload_too_large', `The limit is ${config.bodyLimitBytes} bytes.`); } }));
  // Media type, JSON syntax and unstorable values, before schema validation.
  app.use('/v1/*', jsonBodyGuard());

  registerOperations(app, { ...opsHandlers(services), ...authHandlers(services), ...contractHandlers(services), ...ledgerHandlers(services), ...userHandlers(services), ...signingHandlers(services) }, services.authenticate, () => services.database.db);
  mountApiDocs(app);
  if (config.webDir && existsSync(join(config.webDir, 'index.html'))) {
    app.use('/*', serveStatic({ root: config.webDir }));
  }

  app.notFound((c) => problemResponse(c, new AppError('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)));
  app.onError((error, c) => {
    const appError = toAppError(error);
    if (appError.code === 'internal_error') {
      // An unexpected failure: the stack goes to the operator's log only; the caller gets the request id to quote.
      console.error(JSON.stringify({ level: 'error', requestId: c.get('requestId'), path: c.req.path, error: String((error as Error)?.stack ?? error) }));
    }
    return problemResponse(c, appError);
  });
  return app;
}

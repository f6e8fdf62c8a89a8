// The HTTP application: one middleware chain, then every operation of the spec, then docs and the UI.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { adminHandlers } from './admin/handlers.js';
import { auditHandlers } from './audit/handlers.js';
import { authHandlers } from './auth/handlers.js';
import type { ServerConfig } from './config.js';
import { contractHandlers } from './contracts/handlers.js';
import { enclaveHandlers } from './enclave/handlers.js';
import { AppError, type FieldError } from './errors/app-error.js';
import { eventHandlers } from './events/handlers.js';
import { evidenceHandlers } from './evidence/handlers.js';
import { fileHandlers } from './files/handlers.js';
import { apiDocsHandlers, mountApiDocs } from './http/api-docs.js';
import type { AppEnv } from './http/app-env.js';
import { noStoreByDefault } from './http/cache-control.js';
import { idempotency } from './http/idempotency.js';
import { jsonBodyGuard } from './http/json-body.js';
import { registerOperations } from './http/operations.js';
import { problemResponse, toAppError } from './http/problem-response.js';
import type { GatewayRateLimits } from './http/rate-limit/gateway-rate-limits.js';
import { recordWrites } from './http/record-writes.js';
import { recoverIdempotentResponse } from './http/recover-idempotent-response.js';
import { requestLog } from './http/request-log.js';
import { requestTimeout } from './http/request-timeout.js';
import { spaFallback } from './http/spa-fallback.js';
import { ledgerHandlers } from './ledger/handlers.js';
import { metricsHandlers } from './observability/metrics-handler.js';
import { opsHandlers } from './ops/handlers.js';
import type { Services } from './services.js';
import { signingHandlers } from './signing/handlers.js';
import { templateHandlers } from './templates/handlers.js';
import { userHandlers } from './users/handlers.js';
import { webhookHandlers } from './webhooks/handlers.js';

interface Issue {
  path: PropertyKey[];
  message: string;
  code?: string;
  errors?: Issue[][];
}

/**
 * Issues as field errors. A union (`oneOf`, e.g. a contract's parties as a list or a map of roles)
 * reports the issues of the member whose JSON type the value has, rather than one "invalid input".
 */
function fieldIssues(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((i) => {
    if (i.code !== 'invalid_union' || !i.errors?.length) return [i];
    const typed =
      i.errors.find((branch) => !branch.some((b) => b.code === 'invalid_type' && b.path.length === 0)) ?? i.errors[0]!;
    return fieldIssues(typed.map((b) => ({ ...b, path: [...i.path, ...b.path] })));
  });
}

/** POST /v1/files: the one streamed request body. */
const isFileUpload = (method: string, path: string) => method === 'POST' && path.replace(/\/+$/, '') === '/v1/files';

const TARGET_PATH: Record<string, string> = { json: '/body', query: '/query', param: '/params', header: '/headers' };

/** `rateLimits` undefined: no limits (`CMS_RATE_LIMIT=off`). */
export function createApp(config: ServerConfig, services: Services, rateLimits?: GatewayRateLimits) {
  const app = new OpenAPIHono<AppEnv>({
    // Schema violations become one 422 problem listing every invalid field.
    defaultHook: (result) => {
      if (result.success) return;
      const errors: FieldError[] = fieldIssues(result.error.issues).map((i) => ({
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
  // Conservative browser security headers on every response; HSTS only when this server speaks TLS itself.
  app.use(
    secureHeaders({
      crossOriginResourcePolicy: 'same-origin',
      strictTransportSecurity: config.tls ? 'max-age=31536000; includeSubDomains' : false,
    }),
  );
  // Cross-origin browser access only for configured origins.
  if (config.corsOrigins.length) {
    app.use(
      '/v1/*',
      cors({
        origin: config.corsOrigins,
        exposeHeaders: ['X-Request-Id', 'ETag', 'Retry-After', 'RateLimit', 'RateLimit-Policy'],
        maxAge: 600,
      }),
    );
  }
  // No request holds a connection forever (the event stream excepted).
  app.use('/v1/*', requestTimeout(config.requestTimeoutMs));
  // All of the request's limits (address, login, user) in one store round trip, before routing, parsing or
  // the session check spend anything on it.
  if (rateLimits) {
    app.use('/v1/*', rateLimits.perRequest);
    app.use('/.well-known/*', rateLimits.perRequest);
  }
  // API responses that set no caching policy (tokens, sessions, errors) are never stored by any cache.
  app.use('/v1/*', noStoreByDefault());
  // Caps request bodies before anything buffers them. File uploads stream instead, under their own
  // limit (CMS_FILE_MAX_BYTES, enforced as they stream in files/validate-upload.ts).
  const limitBody = bodyLimit({
    maxSize: config.bodyLimitBytes,
    onError: () => {
      throw new AppError('payload_too_large', `The limit is ${config.bodyLimitBytes} bytes.`);
    },
  });
  app.use((c, next) => (isFileUpload(c.req.method, c.req.path) ? next() : limitBody(c, next)));
  // Media type, JSON syntax and unstorable values, before schema validation (not for file uploads).
  const guardJson = jsonBodyGuard();
  app.use('/v1/*', (c, next) => (isFileUpload(c.req.method, c.req.path) ? next() : guardJson(c, next)));
  // With read replicas: a caller's write is recorded (its WAL position) before the answer leaves, so its
  // next read on any instance sees it.
  if (services.writePositions) app.use('/v1/*', recordWrites(services.writePositions));

  // Idempotency-Key: one claim per key across instances, leased while its request runs.
  const idempotent = idempotency(() => services.database.db, {
    recover: recoverIdempotentResponse(services),
    onHeartbeatError: (err) =>
      services.logger.warn(
        { err: { message: err instanceof Error ? err.message : String(err) } },
        'renewing idempotency leases failed',
      ),
  });
  registerOperations(
    app,
    {
      ...opsHandlers(services),
      ...authHandlers(services),
      ...contractHandlers(services),
      ...ledgerHandlers(services),
      ...userHandlers(services),
      ...signingHandlers(services),
      ...evidenceHandlers(services),
      ...eventHandlers(services),
      ...templateHandlers(services),
      ...fileHandlers(services),
      ...webhookHandlers(services),
      ...auditHandlers(services),
      ...adminHandlers(services),
      ...enclaveHandlers(services),
      ...metricsHandlers(services.metrics, config.metricsToken),
      ...apiDocsHandlers(),
    },
    services.authenticate,
    idempotent,
    new Set(config.operatorDids),
  );
  mountApiDocs(app);
  if (config.webDir && existsSync(join(config.webDir, 'index.html'))) {
    app.use('/*', serveStatic({ root: config.webDir }));
    // A reload of any page of the web UI (a deep link) answers the app, whose router shows that page.
    app.use('/*', spaFallback(config.webDir));
  }

  app.notFound((c) =>
    problemResponse(c, new AppError('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)),
  );
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

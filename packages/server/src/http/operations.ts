// Registers every operation of the spec with its handler and its authorization, generically: a new
// operation in openapi/ is a type error here until it has a handler.
import type { OpenAPIHono, RouteHandler } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Authenticate } from '../auth/authenticate.js';
import * as routes from '../generated/routes.js';
import { type OperationId, operationPolicies } from '../generated/routes.js';
import type { AppEnv } from './app-env.js';
import { authorize } from './authorize.js';

export type OperationHandlers = { [K in OperationId]: RouteHandler<(typeof routes)[K], AppEnv> };

/** `idempotent` runs in front of the operations the spec marks `x-cms-idempotent` (see idempotency.ts). */
export function registerOperations(
  app: OpenAPIHono<AppEnv>,
  handlers: OperationHandlers,
  authenticate: Authenticate,
  idempotent: MiddlewareHandler<AppEnv>,
  /** The DIDs allowed `operator` operations. */
  operators: ReadonlySet<string> = new Set(),
): void {
  for (const id of Object.keys(operationPolicies) as OperationId[]) {
    const route = routes[id];
    const policy = operationPolicies[id];
    // Names the operation for logs and metrics; then authorization (rate limits ran before routing, see
    // rate-limit/gateway-rate-limits.ts), and Idempotency-Key where the spec allows it (keys are scoped to the caller).
    const middleware: MiddlewareHandler<AppEnv>[] = [
      (c, next) => (c.set('operationId', id), next()),
      authorize(policy.permission, authenticate, operators),
      ...(policy.idempotent ? [idempotent] : []),
    ];
    // Each route/handler pair is checked against the spec by OperationHandlers; the loop only erases the union.
    app.openapi({ ...route, middleware } as never, handlers[id] as never);
  }
}

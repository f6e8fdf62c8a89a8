// Registers every operation of the spec with its handler and its authorization, generically: a new
// operation in openapi/ is a type error here until it has a handler.
import type { OpenAPIHono, RouteHandler } from '@hono/zod-openapi';
import type { Authenticate } from '../auth/authenticate.js';
import * as routes from '../generated/routes.js';
import { operationPolicies, type OperationId } from '../generated/routes.js';
import type { AppEnv } from './app-env.js';
import { authorize } from './authorize.js';
import { idempotency } from './idempotency.js';
import type { Db } from '../db/database.js';

export type OperationHandlers = { [K in OperationId]: RouteHandler<(typeof routes)[K], AppEnv> };

export function registerOperations(app: OpenAPIHono<AppEnv>, handlers: OperationHandlers, authenticate: Authenticate, db: () => Db): void {
  for (const id of Object.keys(operationPolicies) as OperationId[]) {
    const route = routes[id];
    const policy = operationPolicies[id];
    // Authorization first (the key is scoped to the caller), then Idempotency-Key where the spec allows it.
    const middleware = [authorize(policy.permission, authenticate), ...(policy.idempotent ? [idempotency(db)] : [])];
    // Each route/handler pair is checked against the spec by OperationHandlers; the loop only erases the union.
    app.openapi({ ...route, middleware } as never, handlers[id] as never);
  }
}

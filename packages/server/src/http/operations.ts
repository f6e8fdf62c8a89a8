// Registers every operation of the spec with its handler and its authorization, generically: a new
// operation in openapi/ is a type error here until it has a handler.
import type { OpenAPIHono, RouteHandler } from '@hono/zod-openapi';
import type { Authenticate } from '../auth/authenticate.js';
import * as routes from '../generated/routes.js';
import { operationPolicies, type OperationId } from '../generated/routes.js';
import type { AppEnv } from './app-env.js';
import { authorize } from './authorize.js';

export type OperationHandlers = { [K in OperationId]: RouteHandler<(typeof routes)[K], AppEnv> };

export function registerOperations(app: OpenAPIHono<AppEnv>, handlers: OperationHandlers, authenticate: Authenticate): void {
  for (const id of Object.keys(operationPolicies) as OperationId[]) {
    const route = routes[id];
    const middleware = [authorize(operationPolicies[id].permission, authenticate)];
    // Each route/handler pair is checked against the spec by OperationHandlers; the loop only erases the union.
    app.openapi({ ...route, middleware } as never, handlers[id] as never);
  }
}

// Which limits apply where: every /v1 and /.well-known request counts against its client address;
// login challenge, token and refresh (anonymous, and each challenge is stored until it expires) also
// against the stricter `auth` limit; operations that need a token against the caller's user. All of a
// request's limits are counted in one store round trip, before routing, parsing or the session check
// spend anything on it: the operation is found from the method and path (as the router would), and
// the user from the bearer token's signature (verified tokens are cached, see auth/access-token.ts).
// Health, readiness and metrics are never limited.

import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import type { ServerConfig } from '../../config.js';
import { type OperationId, operationPolicies, type Permission } from '../../generated/routes.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { AppEnv } from '../app-env.js';
import { clientIp } from '../client-ip.js';
import { createMemoryLimitCounter, createRedisLimitCounter, defineLimit, type Limit } from './limiter.js';
import { rateLimit } from './rate-limit.js';

const AUTH_OPERATIONS: ReadonlySet<OperationId> = new Set([
  'createAuthChallenge',
  'createAuthToken',
  'refreshAuthToken',
]);

export interface GatewayRateLimits {
  /** Every limit of the request; mounted on /v1/* and /.well-known/*. */
  perRequest: MiddlewareHandler<AppEnv>;
}

/** The operation a method and path are routed to (the first in the spec's order, as registered). */
function operationMatcher(): (method: string, path: string) => { id: OperationId; permission: Permission } | undefined {
  const table = (Object.keys(operationPolicies) as OperationId[]).map((id) => {
    const p = operationPolicies[id];
    const pattern = p.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    return { id, method: p.method.toUpperCase(), regex: new RegExp(`^${pattern}$`), permission: p.permission };
  });
  return (method, path) => {
    const m = method === 'HEAD' ? 'GET' : method;
    const hit = table.find((r) => r.method === m && r.regex.test(path));
    return hit && { id: hit.id, permission: hit.permission };
  };
}

/** `undefined` when `CMS_RATE_LIMIT=off`. `redis` set: counts are shared by every instance on that Redis. */
export function createGatewayRateLimits(
  config: Pick<ServerConfig, 'rateLimit' | 'trustProxyHops'>,
  deps: {
    redis: Redis | undefined;
    logger: Logger;
    metrics: Metrics;
    /** The user a bearer token was issued to, when its signature and claims verify; undefined otherwise. */
    userOfToken: (token: string) => string | undefined;
  },
): GatewayRateLimits | undefined {
  const { rateLimit: limits, trustProxyHops } = config;
  if (!limits.enabled) return undefined;
  const options = { onStoreError: limits.onStoreError, logger: deps.logger, metrics: deps.metrics };
  const counter = deps.redis ? createRedisLimitCounter(deps.redis) : createMemoryLimitCounter();
  const ip = defineLimit('ip', limits.ip);
  const auth = defineLimit('auth', limits.auth);
  const user = defineLimit('user', limits.user);
  const operationOf = operationMatcher();
  const checksOf = (c: Context<AppEnv>) => {
    const address = clientIp(c, trustProxyHops);
    const checks: (readonly [Limit, string])[] = [[ip, address]];
    const operation = operationOf(c.req.method, c.req.path);
    if (!operation) return checks;
    if (AUTH_OPERATIONS.has(operation.id)) checks.push([auth, address]);
    if (operation.permission !== 'public') {
      // Same form as the authorization middleware accepts; a token that does not verify is not
      // counted per user (authorization refuses it next).
      const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
      const userId = match ? deps.userOfToken(match[1]!) : undefined;
      if (userId !== undefined) checks.push([user, userId]);
    }
    return checks;
  };
  return { perRequest: rateLimit(counter, checksOf, options) };
}

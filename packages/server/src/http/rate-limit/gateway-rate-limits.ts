// Which limits apply where: every /v1 and /.well-known request counts against its client address
// before routing; login challenge, token and refresh (anonymous, and each challenge is stored until it
// expires) also against the stricter `auth` limit; operations that need a token against the caller's
// user once authorization has identified them. Health, readiness and metrics are never limited.

import type { MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import type { ServerConfig } from '../../config.js';
import type { OperationId, Permission } from '../../generated/routes.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { AppEnv } from '../app-env.js';
import { clientIp } from '../client-ip.js';
import { createLimiter } from './limiter.js';
import { rateLimit } from './rate-limit.js';

const AUTH_OPERATIONS: ReadonlySet<OperationId> = new Set([
  'createAuthChallenge',
  'createAuthToken',
  'refreshAuthToken',
]);

export interface OperationRateLimits {
  beforeAuthorization: MiddlewareHandler<AppEnv>[];
  afterAuthorization: MiddlewareHandler<AppEnv>[];
}

export interface GatewayRateLimits {
  /** Per client address; mounted on /v1/* and /.well-known/*. */
  perAddress: MiddlewareHandler<AppEnv>;
  forOperation(id: OperationId, permission: Permission): OperationRateLimits;
}

/** `undefined` when `CMS_RATE_LIMIT=off`. `redis` set: counts are shared by every instance on that Redis. */
export function createGatewayRateLimits(
  config: Pick<ServerConfig, 'rateLimit' | 'trustProxyHops'>,
  deps: { redis: Redis | undefined; logger: Logger; metrics: Metrics },
): GatewayRateLimits | undefined {
  const { rateLimit: limits, trustProxyHops } = config;
  if (!limits.enabled) return undefined;
  const options = { onStoreError: limits.onStoreError, logger: deps.logger, metrics: deps.metrics };
  const byAddress = (c: Parameters<typeof clientIp>[0]) => clientIp(c, trustProxyHops);
  const perAddress = rateLimit(createLimiter('ip', limits.ip, deps.redis), byAddress, options);
  const auth = rateLimit(createLimiter('auth', limits.auth, deps.redis), byAddress, options);
  const user = rateLimit(createLimiter('user', limits.user, deps.redis), (c) => c.get('principal').userId, options);
  return {
    perAddress,
    forOperation: (id, permission) => ({
      beforeAuthorization: AUTH_OPERATIONS.has(id) ? [auth] : [],
      afterAuthorization: permission === 'public' ? [] : [user],
    }),
  };
}

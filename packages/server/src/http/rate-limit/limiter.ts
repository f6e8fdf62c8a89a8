// One named limit (`ip`, `user`, `auth`): a steady rate plus a burst allowance used once the steady
// window is spent (rate-limiter-flexible's BurstyRateLimiter pattern), counted in Redis when the server
// has one — so every instance shares the count — or in this process.
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit } from '../../config.js';

export type LimitName = 'ip' | 'user' | 'auth';

export interface LimitDecision {
  allowed: boolean;
  /** This limit's member of the `RateLimit` header: what is left of the window in use. */
  state: string;
  /** When refused: seconds until the steady window has room again. */
  retryAfterSeconds: number;
}

export interface Limiter {
  name: LimitName;
  /** This limit's members of the `RateLimit-Policy` header. */
  policy: string;
  /** Counts one request for `key`; rejects only when the store fails. */
  consume(key: string): Promise<LimitDecision>;
}

export function createLimiter(
  name: LimitName,
  limits: { steady: RateLimit; burst: RateLimit },
  redis: Redis | undefined,
): Limiter {
  const make = (suffix: string, { points, durationSeconds }: RateLimit): RateLimiterAbstract =>
    redis
      ? // Not ready (Redis down): reject at once instead of waiting for a reconnect, so fail-open/closed applies immediately.
        new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `rl:${name}${suffix}`,
          points,
          duration: durationSeconds,
          rejectIfRedisNotReady: true,
        })
      : new RateLimiterMemory({ keyPrefix: `rl:${name}${suffix}`, points, duration: durationSeconds });
  const steady = make('', limits.steady);
  const burst = make('-burst', limits.burst);
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  return {
    name,
    policy: `"${name}";q=${limits.steady.points};w=${limits.steady.durationSeconds}, "${name}-burst";q=${limits.burst.points};w=${limits.burst.durationSeconds}`,
    async consume(key) {
      let refused: RateLimiterRes;
      try {
        const r = await steady.consume(key);
        return {
          allowed: true,
          state: `"${name}";r=${r.remainingPoints};t=${seconds(r.msBeforeNext)}`,
          retryAfterSeconds: 0,
        };
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        refused = error;
      }
      try {
        const b = await burst.consume(key);
        return {
          allowed: true,
          state: `"${name}-burst";r=${b.remainingPoints};t=${seconds(b.msBeforeNext)}`,
          retryAfterSeconds: 0,
        };
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        return {
          allowed: false,
          state: `"${name}";r=0;t=${seconds(refused.msBeforeNext)}`,
          retryAfterSeconds: seconds(refused.msBeforeNext),
        };
      }
    },
  };
}

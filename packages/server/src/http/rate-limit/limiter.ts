// Named limits (`ip`, `user`, `auth`): each a steady rate plus a burst allowance used once the steady
// window is spent (rate-limiter-flexible's BurstyRateLimiter pattern). A request's limits are counted
// together, in order, stopping at the first that refuses: in Redis by one Lua script (one round trip
// for all of them, every instance sharing the counts), or in this process.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit } from '../../config.js';

export type LimitName = 'ip' | 'user' | 'auth';

export interface Limit {
  name: LimitName;
  steady: RateLimit;
  burst: RateLimit;
  /** This limit's members of the `RateLimit-Policy` header. */
  policy: string;
}

export interface LimitDecision {
  limit: Limit;
  allowed: boolean;
  /** This limit's member of the `RateLimit` header: what is left of the window in use. */
  state: string;
  /** When refused: seconds until the steady window has room again. */
  retryAfterSeconds: number;
}

/** Counts requests against limits. */
export interface LimitCounter {
  /**
   * Counts one request for each `[limit, key]` in order and stops after the first refusal (later limits
   * are not counted); resolves to the decisions made. Rejects only when the store fails.
   */
  consume(checks: readonly (readonly [Limit, string])[]): Promise<LimitDecision[]>;
}

export function defineLimit(name: LimitName, limits: { steady: RateLimit; burst: RateLimit }): Limit {
  const { steady, burst } = limits;
  return {
    name,
    ...limits,
    policy: `"${name}";q=${steady.points};w=${steady.durationSeconds}, "${name}-burst";q=${burst.points};w=${burst.durationSeconds}`,
  };
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** outcome 0: steady window, 1: burst, 2: refused; `remaining` and `ms` of the window in use (refused: steady). */
function decide(limit: Limit, outcome: number, remaining: number, ms: number): LimitDecision {
  const { name } = limit;
  if (outcome === 0)
    return { limit, allowed: true, state: `"${name}";r=${remaining};t=${seconds(ms)}`, retryAfterSeconds: 0 };
  if (outcome === 1)
    return { limit, allowed: true, state: `"${name}-burst";r=${remaining};t=${seconds(ms)}`, retryAfterSeconds: 0 };
  return { limit, allowed: false, state: `"${name}";r=0;t=${seconds(ms)}`, retryAfterSeconds: seconds(ms) };
}

// Per limit i: KEYS[2i-1] steady counter, KEYS[2i] burst counter; ARGV[4i-3..4i] steady points, steady
// ms, burst points, burst ms. The burst is spent only once the steady window is; every consumption
// counts, refused ones too (as rate-limiter-flexible does). Keys are rate-limiter-flexible's
// (`rl:<name>[-burst]:<key>`, a counter with a PX expiry), so counts carry over an upgrade.
const CONSUME_LIMITS = `
local out = {}
local function spend(key, ms)
  local n = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if n == 1 or ttl < 0 then redis.call('PEXPIRE', key, ms); ttl = ms end
  return n, ttl
end
for i = 1, #KEYS / 2 do
  local sp, sms, bp, bms = tonumber(ARGV[4*i-3]), tonumber(ARGV[4*i-2]), tonumber(ARGV[4*i-1]), tonumber(ARGV[4*i])
  local n, ttl = spend(KEYS[2*i-1], sms)
  if n <= sp then
    out[#out+1] = 0; out[#out+1] = sp - n; out[#out+1] = ttl
  else
    local b, bttl = spend(KEYS[2*i], bms)
    if b <= bp then
      out[#out+1] = 1; out[#out+1] = bp - b; out[#out+1] = bttl
    else
      out[#out+1] = 2; out[#out+1] = 0; out[#out+1] = ttl
      return out
    end
  end
end
return out`;

type RedisWithLimits = Redis & { cmsConsumeLimits(...args: (string | number)[]): Promise<number[]> };

/** Counts in Redis (the client's key prefix applies): one EVALSHA per request, whatever its limits. */
export function createRedisLimitCounter(redis: Redis): LimitCounter {
  const r = redis as RedisWithLimits;
  if (!('cmsConsumeLimits' in r)) redis.defineCommand('cmsConsumeLimits', { lua: CONSUME_LIMITS });
  return {
    async consume(checks) {
      if (!checks.length) return [];
      const keys = checks.flatMap(([l, key]) => [`rl:${l.name}:${key}`, `rl:${l.name}-burst:${key}`]);
      const args = checks.flatMap(([l]) => [
        l.steady.points,
        l.steady.durationSeconds * 1000,
        l.burst.points,
        l.burst.durationSeconds * 1000,
      ]);
      const out = await r.cmsConsumeLimits(keys.length, ...keys, ...args);
      const decisions: LimitDecision[] = [];
      for (let i = 0; i * 3 < out.length; i++)
        decisions.push(decide(checks[i]![0], out[3 * i]!, out[3 * i + 1]!, out[3 * i + 2]!));
      return decisions;
    },
  };
}

/** Counts in this process (a single server without Redis). */
export function createMemoryLimitCounter(): LimitCounter {
  const limiters = new Map<string, RateLimiterMemory>();
  const limiter = (prefix: string, { points, durationSeconds }: RateLimit) => {
    let l = limiters.get(prefix);
    if (!l) limiters.set(prefix, (l = new RateLimiterMemory({ keyPrefix: prefix, points, duration: durationSeconds })));
    return l;
  };
  const spend = async (l: RateLimiterMemory, key: string) => {
    try {
      return { ok: true, res: await l.consume(key) };
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return { ok: false, res: error };
    }
  };
  return {
    async consume(checks) {
      const decisions: LimitDecision[] = [];
      for (const [limit, key] of checks) {
        const steady = await spend(limiter(`rl:${limit.name}`, limit.steady), key);
        if (steady.ok) {
          decisions.push(decide(limit, 0, steady.res.remainingPoints, steady.res.msBeforeNext));
          continue;
        }
        const burst = await spend(limiter(`rl:${limit.name}-burst`, limit.burst), key);
        if (burst.ok) {
          decisions.push(decide(limit, 1, burst.res.remainingPoints, burst.res.msBeforeNext));
          continue;
        }
        decisions.push(decide(limit, 2, 0, steady.res.msBeforeNext));
        break;
      }
      return decisions;
    },
  };
}

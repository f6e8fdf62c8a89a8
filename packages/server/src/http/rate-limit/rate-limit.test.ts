// The limit middleware when its store fails: a real ioredis client that cannot reach Redis (nothing
// listens on port 1), so every check fails the way it does in an outage. Open lets requests through,
// closed answers 503; both count the failure and log it, once per burst of failures.
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import type { AppEnv } from '../app-env.js';
import { problemResponse, toAppError } from '../problem-response.js';
import { createMemoryLimitCounter, createRedisLimitCounter, defineLimit } from './limiter.js';
import { rateLimit } from './rate-limit.js';

const unreachable = new Redis('redis://127.0.0.1:1', {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
});
unreachable.on('error', () => {});
afterAll(() => unreachable.disconnect());

function appWith(onStoreError: 'open' | 'closed') {
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (l: string) => void lines.push(l) } });
  const metrics = createMetrics({ ledgerBacklog: async () => 0 });
  const limit = { steady: { points: 1, durationSeconds: 60 }, burst: { points: 1, durationSeconds: 60 } };
  const app = new Hono<AppEnv>();
  const ip = defineLimit('ip', limit);
  app.use(
    rateLimit(createRedisLimitCounter(unreachable), () => [[ip, '198.51.100.7']], { onStoreError, logger, metrics }),
  );
  app.get('/', (c) => c.json({ ok: true }));
  app.onError((e, c) => problemResponse(c, toAppError(e)));
  return { app, lines, metrics };
}

describe('rate limit with its store down', () => {
  it('fails open: requests pass without limit headers, counted and logged once', async () => {
    const { app, lines, metrics } = appWith('open');
    for (let i = 0; i < 3; i++) {
      const res = await app.request('/');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toBeNull();
    }
    expect(await metrics.registry.getSingleMetricAsString('cms_rate_limit_store_errors_total')).toContain(
      'cms_rate_limit_store_errors_total{limit="ip",outcome="allowed"} 3',
    );
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn',
      msg: 'rate-limit store unavailable',
      limit: 'ip',
      outcome: 'allowed',
    });
  });

  it('fails closed: 503 service_unavailable with Retry-After', async () => {
    const { app, metrics } = appWith('closed');
    const res = await app.request('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({
      code: 'service_unavailable',
      detail: 'The rate-limit store is unavailable; retry shortly.',
    });
    expect(await metrics.registry.getSingleMetricAsString('cms_rate_limit_store_errors_total')).toContain(
      'outcome="refused"} 1',
    );
  });
});

describe('limiter (in-process)', () => {
  it('uses the burst once the steady window is spent, then refuses until the steady window resets', async () => {
    const counter = createMemoryLimitCounter();
    const user = defineLimit('user', {
      steady: { points: 2, durationSeconds: 10 },
      burst: { points: 1, durationSeconds: 100 },
    });
    const limiter = { consume: async (key: string) => (await counter.consume([[user, key]]))[0]!, policy: user.policy };
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.consume('u1'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.state.replace(/;t=\d+/, ''))).toEqual([
      '"user";r=1',
      '"user";r=0',
      '"user-burst";r=0',
      '"user";r=0',
    ]);
    expect(decisions[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(decisions[3]!.retryAfterSeconds).toBeLessThanOrEqual(10);
    expect((await limiter.consume('u2')).allowed).toBe(true);
    expect(limiter.policy).toBe('"user";q=2;w=10, "user-burst";q=1;w=100');
  });
});

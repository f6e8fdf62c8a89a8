// Rate limits when Redis goes away: a private redis-server is started, then killed under a running
// server. `open` (the default) keeps serving requests that do not need Redis otherwise, counting and
// logging the failures; `closed` refuses with 503. Needs the redis-server binary: a *.pg.test.ts, run by
// the integration suite (which also runs rate-limit.api.test.ts against the shared Redis).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { RateLimitConfig } from '../src/config.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { request } from './api-helpers.js';

const LIMITS = { steady: { points: 100, durationSeconds: 60 }, burst: { points: 10, durationSeconds: 60 } };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** A redis-server of this test's own, so it can be killed. */
async function startPrivateRedis(): Promise<{ url: string; kill(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise((r) => child.once('exit', r));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    const up = await probe.connect().then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (up) break;
    if (i > 200) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 25));
  }
  return { url, kill: async () => (child.kill('SIGKILL'), void (await exited)) };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  cleanup = [];
});

async function serverOnDoomedRedis(onStoreError: RateLimitConfig['onStoreError']) {
  const redis = await startPrivateRedis();
  cleanup.push(redis.kill);
  const lines: string[] = [];
  const server: TestServer = await startTestServer({
    keyValueStore: { engine: 'redis', url: redis.url, keyPrefix: `cms-test-${randomBytes(6).toString('hex')}:` },
    rateLimit: { enabled: true, ip: LIMITS, user: LIMITS, auth: LIMITS, onStoreError },
    log: { level: 'warn', destination: { write: (l: string) => void lines.push(l) } },
  });
  cleanup.push(() => server.close());
  return { server, redis, lines };
}

describe('rate limits when Redis goes away', () => {
  it('fail open: requests pass without limit headers; the failures are counted and logged', async () => {
    const { server, redis, lines } = await serverOnDoomedRedis('open');
    const before = await request(server.url, 'GET', '/v1/status');
    expect(before.headers.get('ratelimit')).toMatch(/^"ip";r=99;/);
    await redis.kill();

    for (let i = 0; i < 3; i++) {
      const r = await request(server.url, 'GET', '/v1/status');
      expect(r.status).toBe(200);
      expect(r.headers.get('ratelimit')).toBeNull();
    }
    const metrics = (await request(server.url, 'GET', '/metrics')).text;
    expect(metrics).toMatch(/^cms_rate_limit_store_errors_total\{limit="ip",outcome="allowed"\} 3$/m);
    const warnings = lines.map((l) => JSON.parse(l)).filter((e) => e.msg === 'rate-limit store unavailable');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', limit: 'ip', outcome: 'allowed' });
    // Readiness tells the load balancer the instance lost its store.
    expect((await request(server.url, 'GET', '/readyz')).status).toBe(503);
  });

  it('fail closed: 503 service_unavailable while Redis is gone', async () => {
    const { server, redis } = await serverOnDoomedRedis('closed');
    expect((await request(server.url, 'GET', '/v1/status')).status).toBe(200);
    await redis.kill();
    const refused = await request(server.url, 'GET', '/v1/status');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.json).toMatchObject({
      code: 'service_unavailable',
      detail: 'The rate-limit store is unavailable; retry shortly.',
    });
    expect((await request(server.url, 'GET', '/healthz')).status).toBe(200);
    expect((await request(server.url, 'GET', '/metrics')).text).toMatch(
      /^cms_rate_limit_store_errors_total\{limit="ip",outcome="refused"\} 1$/m,
    );
  });
});

describe('rate limits in Redis', () => {
  /** Calls per command since the last CONFIG RESETSTAT, without the probes themselves. */
  const commandCalls = async (redis: Redis) =>
    Object.fromEntries(
      [...((await redis.info('commandstats')) as string).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)]
        .filter(([, name]) => name !== 'info' && !name!.startsWith('config'))
        .map(([, name, calls]) => [name, Number(calls)]),
    );

  it('count all of a request’s limits in one round trip, with the in-process semantics', async () => {
    const { url, kill } = await startPrivateRedis();
    cleanup.push(kill);
    const { createRedisLimitCounter, defineLimit } = await import('../src/http/rate-limit/limiter.js');
    const client = new Redis(url, { keyPrefix: 'cms-test:' });
    const probe = new Redis(url);
    cleanup.push(async () => (client.disconnect(), probe.disconnect()));
    const counter = createRedisLimitCounter(client);
    const ip = defineLimit('ip', {
      steady: { points: 2, durationSeconds: 10 },
      burst: { points: 1, durationSeconds: 100 },
    });
    const auth = defineLimit('auth', LIMITS);
    const user = defineLimit('user', LIMITS);
    const checks = [
      [ip, '198.51.100.7'],
      [auth, '198.51.100.7'],
      [user, 'u1'],
    ] as const;
    const states = async () => (await counter.consume(checks)).map((d) => d.state.replace(/;t=\d+/, ''));
    expect(await states()).toEqual(['"ip";r=1', '"auth";r=99', '"user";r=99']);
    await probe.config('RESETSTAT');
    expect(await states()).toEqual(['"ip";r=0', '"auth";r=98', '"user";r=98']);
    expect(await states()).toEqual(['"ip-burst";r=0', '"auth";r=97', '"user";r=97']);
    // Past the address's steady and burst: refused there, and the later limits are not counted.
    const refused = await counter.consume(checks);
    expect(refused.map((d) => [d.limit.name, d.allowed])).toEqual([['ip', false]]);
    expect(refused[0]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused[0]!.retryAfterSeconds).toBeLessThanOrEqual(10);
    // One EVALSHA per consume; INCR, PTTL and PEXPIRE are counted too, but run inside the script.
    const { evalsha, incr, pttl, pexpire, ...others } = await commandCalls(probe);
    expect({ evalsha, others }).toEqual({ evalsha: 3, others: {} });
    expect([incr, pttl, pexpire]).toEqual([9, 9, 1]);
    expect(await probe.get('cms-test:rl:user:u1')).toBe('3');
    // Every counter expires with its window.
    expect(await probe.pttl('cms-test:rl:ip:198.51.100.7')).toBeGreaterThan(9000);
    expect(await probe.pttl('cms-test:rl:ip-burst:198.51.100.7')).toBeGreaterThan(99_000);
  });
});

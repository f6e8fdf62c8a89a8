// Rate limits on a real server: the in-process limiter in `pnpm test`, the Redis limiter when the
// integration suite reruns this file with CMS_TEST_REDIS_URL (outages: rate-limit.pg.test.ts). Headers, 429 + Retry-After, per address vs per user, the stricter
// login limit, bursts, the off switch and X-Forwarded-For only behind trusted proxies.
import { generateDidKey } from '@cms/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { RateLimitConfig, ServerConfig } from '../src/config.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

const GENEROUS = { steady: { points: 10_000, durationSeconds: 60 }, burst: { points: 1, durationSeconds: 3600 } };
const limits = (l: Partial<RateLimitConfig>): RateLimitConfig => ({
  enabled: true,
  ip: GENEROUS,
  user: GENEROUS,
  auth: GENEROUS,
  onStoreError: 'open',
  ...l,
});
const perMinute = (steady: number, burst: number) => ({
  steady: { points: steady, durationSeconds: 60 },
  burst: { points: burst, durationSeconds: 3600 },
});

let servers: TestServer[] = [];
async function serverWith(rateLimit: RateLimitConfig, extra: Partial<ServerConfig> = {}) {
  const s = await startTestServer({ rateLimit, ...extra });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('rate limits (in-process)', () => {
  it('announces the limit, spends the burst, then answers 429 with Retry-After', async () => {
    const s = await serverWith(limits({ ip: perMinute(2, 1) }));
    const first = await request(s.url, 'GET', '/v1/status');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"ip";q=2;w=60, "ip-burst";q=1;w=3600');
    expect(first.headers.get('ratelimit')).toMatch(/^"ip";r=1;t=\d+$/);
    expect((await request(s.url, 'GET', '/v1/status')).headers.get('ratelimit')).toMatch(/^"ip";r=0;t=\d+$/);
    const burst = await request(s.url, 'GET', '/v1/status');
    expect(burst.status).toBe(200);
    expect(burst.headers.get('ratelimit')).toMatch(/^"ip-burst";r=0;t=\d+$/);

    const refused = await request(s.url, 'GET', '/v1/status');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit')).toBe(`"ip";r=0;t=${retryAfter}`);
    expect(refused.json).toEqual({
      type: 'urn:cms:problem:rate_limited',
      title: 'Too many requests; retry after the time in Retry-After.',
      status: 429,
      code: 'rate_limited',
      detail: `Too many requests (ip limit); retry in ${retryAfter} s.`,
      instance: '/v1/status',
      requestId: expect.any(String),
    });
    // Every /v1 route shares the address's count; probes and metrics are never limited.
    expect((await request(s.url, 'GET', '/.well-known/jwks.json')).status).toBe(429);
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const r = await request(s.url, 'GET', path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('ratelimit'), path).toBeNull();
    }
  });

  it('limits each user on their own, on top of the address', async () => {
    const s = await serverWith(limits({ user: perMinute(2, 1) }));
    const alice = await loggedInClient(s.url);
    const bob = await loggedInClient(s.url);
    const me = (u: typeof alice) => request(s.url, 'GET', '/v1/me', { token: u.client.auth.accessToken! });
    const first = await me(alice);
    expect(first.headers.get('ratelimit-policy')).toBe(
      '"ip";q=10000;w=60, "ip-burst";q=1;w=3600, "user";q=2;w=60, "user-burst";q=1;w=3600',
    );
    expect(first.headers.get('ratelimit')).toMatch(/^"ip";r=\d+;t=\d+, "user";r=1;t=\d+$/);
    expect([(await me(alice)).status, (await me(alice)).status]).toEqual([200, 200]);
    const refused = await me(alice);
    expect(refused.json).toMatchObject({
      status: 429,
      code: 'rate_limited',
      detail: expect.stringContaining('(user limit)'),
    });
    // Same address, another user: unaffected.
    expect((await me(bob)).status).toBe(200);
    // Anonymous operations are not counted per user.
    expect((await request(s.url, 'GET', '/v1/status')).headers.get('ratelimit')).toMatch(/^"ip";/);
  });

  it('holds login challenge, token and refresh to the stricter auth limit', async () => {
    const s = await serverWith(limits({ auth: perMinute(2, 1) }));
    const challenge = async () =>
      request(s.url, 'POST', '/v1/auth/challenge', { body: { did: (await generateDidKey()).did } });
    expect([(await challenge()).status, (await challenge()).status, (await challenge()).status]).toEqual([
      201, 201, 201,
    ]);
    const refused = await challenge();
    expect(refused.json).toMatchObject({
      status: 429,
      code: 'rate_limited',
      detail: expect.stringContaining('(auth limit)'),
    });
    expect(refused.headers.get('ratelimit-policy')).toContain('"auth";q=2;w=60');
    // Token and refresh count against the same limit; other routes do not.
    expect((await request(s.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: 'x'.repeat(40) } })).status).toBe(
      429,
    );
    expect((await request(s.url, 'GET', '/v1/status')).status).toBe(200);
  });

  it('CMS_RATE_LIMIT=off sends no headers and refuses nothing', async () => {
    const s = await serverWith({ ...limits({ ip: perMinute(1, 1), auth: perMinute(1, 1) }), enabled: false });
    for (let i = 0; i < 5; i++) {
      const r = await request(s.url, 'GET', '/v1/status');
      expect(r.status).toBe(200);
      expect(r.headers.get('ratelimit')).toBeNull();
    }
  });

  it('counts X-Forwarded-For only behind trusted proxies, and only the entry the proxy wrote', async () => {
    const trusting = await serverWith(limits({ ip: perMinute(1, 1) }), { trustProxyHops: 1 });
    const via = (xff: string) => request(trusting.url, 'GET', '/v1/status', { headers: { 'x-forwarded-for': xff } });
    expect([
      (await via('198.51.100.1')).status,
      (await via('198.51.100.1')).status,
      (await via('198.51.100.1')).status,
    ]).toEqual([200, 200, 429]);
    // A client prepending a fake address is still counted by the address the proxy appended.
    expect((await via('203.0.113.9, 198.51.100.1')).status).toBe(429);
    expect((await via('198.51.100.1, 198.51.100.2')).status).toBe(200);

    const direct = await serverWith(limits({ ip: perMinute(1, 1) }));
    const spoof = (xff: string) => request(direct.url, 'GET', '/v1/status', { headers: { 'x-forwarded-for': xff } });
    // Without trusted proxies the header is ignored: every "client" is this test's socket address.
    expect([
      (await spoof('198.51.100.1')).status,
      (await spoof('198.51.100.2')).status,
      (await spoof('198.51.100.3')).status,
    ]).toEqual([200, 200, 429]);
  });
});

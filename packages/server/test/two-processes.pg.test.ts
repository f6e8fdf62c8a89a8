// Two real `cms-server` processes behind one (imaginary) load balancer: one PostgreSQL database, one
// Redis, one key directory, one public URL — what a production deployment with N instances looks like.
// Each scenario starts its own pair with the environment it needs (`startPair`). A *.pg.test.ts: the
// integration suite sets CMS_TEST_DATABASE_URL and CMS_TEST_REDIS_URL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/cache/redis-store.js';
import { createScratchDatabase } from '../src/testing/test-database.js';
import { loggedInClient, memberOf, request } from './api-helpers.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';
import { startSlowRequest, untilRefused } from './support/slow-request.js';
import { openSse } from './support/sse-reader.js';

const adminUrl = process.env.CMS_TEST_DATABASE_URL!;
const redisUrl = process.env.CMS_TEST_REDIS_URL!;

interface Pair {
  a: ServerProcess;
  b: ServerProcess;
  /** Their shared Redis key prefix. */
  keyPrefix: string;
  /** SIGTERMs both, drops the database, the Redis keys and the key directory. */
  stop(): Promise<void>;
}

/** Two processes sharing a fresh database, a Redis key prefix and a key directory; `env` is added to both. */
async function startPair(env: Record<string, string> = {}): Promise<Pair> {
  const scratch = await createScratchDatabase(adminUrl);
  const keyPrefix = `cms-test-${randomBytes(6).toString('hex')}:`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cms-two-processes-'));
  const shared = {
    DATABASE_URL: scratch.url,
    DATABASE_POOL_SIZE: '3',
    REDIS_URL: redisUrl,
    CMS_REDIS_KEY_PREFIX: keyPrefix,
    CMS_DATA_DIR: dataDir,
    CMS_PUBLIC_URL: 'http://cms.test',
    CMS_CHAIN: 'disabled',
    ...env,
  };
  const started: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop()));
    await scratch.drop();
    const keys = await createRedisStore({ url: redisUrl, keyPrefix });
    await keys.deleteAllKeys();
    await keys.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // One after the other: the first applies the migrations.
    started.push(await startServerProcess(shared));
    started.push(await startServerProcess(shared));
  } catch (error) {
    await stop();
    throw error;
  }
  return { a: started[0]!, b: started[1]!, keyPrefix, stop };
}

describe('two processes: rate limits', () => {
  let pair: Pair;
  beforeAll(async () => {
    // 5 a minute plus 1 of burst per client address; everyone here is 127.0.0.1.
    pair = await startPair({ CMS_RATE_LIMIT_IP: '5/m', CMS_RATE_LIMIT_IP_BURST: '1/h' });
  }, 120_000);
  afterAll(() => pair?.stop(), 60_000);

  it('shares one count: requests split across both processes hit the limit together', async () => {
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await request(i % 2 === 0 ? pair.a.url : pair.b.url, 'GET', '/v1/status');
      statuses.push(r.status);
      remaining.push(r.headers.get('ratelimit') ?? '');
    }
    // 5 steady + 1 burst pass, whichever process answered; the 7th is refused.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    expect(remaining.slice(0, 6).map((h) => h.replace(/;t=\d+/, ''))).toEqual([
      '"ip";r=4',
      '"ip";r=3',
      '"ip";r=2',
      '"ip";r=1',
      '"ip";r=0',
      '"ip-burst";r=0',
    ]);
    // Both processes now refuse this address.
    for (const p of [pair.a, pair.b]) {
      const refused = await request(p.url, 'GET', '/v1/status');
      expect(refused.json).toMatchObject({ status: 429, code: 'rate_limited' });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // Health stays reachable for the load balancer.
    expect((await request(pair.a.url, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('two processes: shutdown', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair({ CMS_RATE_LIMIT: 'off' });
  }, 120_000);
  afterAll(() => pair?.stop(), 60_000);

  it('SIGTERM lets an in-flight request finish, refuses new connections, exits 0; the other process keeps serving', async () => {
    const inFlight = await startSlowRequest(`${pair.a.url}/v1/auth/challenge`, {
      did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    });
    const stopped = pair.a.stop('SIGTERM');
    await untilRefused(pair.a.url);
    inFlight.finish();
    expect(await inFlight.response).toMatchObject({ status: 201 });
    expect(await stopped).toEqual({ code: 0, signal: null });
    expect(pair.a.output()).not.toMatch(/"level":"(error|fatal)"/);
    await expect(fetch(`${pair.a.url}/healthz`)).rejects.toThrow();
    expect((await request(pair.b.url, 'GET', '/v1/status')).status).toBe(200);
  });
});

describe('two processes: response cache and live events', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair({ CMS_RATE_LIMIT: 'off' });
  }, 120_000);
  afterAll(() => pair?.stop(), 60_000);

  it('a write on one process is what the next read on the other returns, cached bodies included', async () => {
    const alice = await loggedInClient(pair.a.url);
    const token = alice.token.accessToken;
    const created = await request(pair.a.url, 'POST', '/v1/contracts', { token, body: { title: 'Cached v1' } });
    const id = created.json.id as string;
    // Read twice on B: the body lands in the shared Redis, keyed by the contract's version.
    const first = await request(pair.b.url, 'GET', `/v1/contracts/${id}`, { token });
    expect((await request(pair.b.url, 'GET', `/v1/contracts/${id}`, { token })).json).toEqual(first.json);
    const redis = new Redis(redisUrl);
    try {
      expect(await redis.keys(`${pair.keyPrefix}*${id}*`)).not.toHaveLength(0);
    } finally {
      redis.disconnect();
    }
    // Update through A; B answers with the new version at once, and the old ETag no longer matches.
    const updated = await request(pair.a.url, 'PATCH', `/v1/contracts/${id}`, {
      token,
      body: { title: 'Cached v2' },
      headers: { 'if-match': first.headers.get('etag')! },
    });
    expect(updated.status).toBe(200);
    const fresh = await request(pair.b.url, 'GET', `/v1/contracts/${id}`, {
      token,
      headers: { 'if-none-match': first.headers.get('etag')! },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.json).toMatchObject({ title: 'Cached v2', revision: updated.json.revision });
    expect(fresh.headers.get('etag')).toBe(updated.headers.get('etag'));
    // And A, which never read it, agrees.
    expect(
      (
        await request(pair.a.url, 'GET', `/v1/contracts/${id}`, {
          token,
          headers: { 'if-none-match': fresh.headers.get('etag')! },
        })
      ).status,
    ).toBe(304);
  });

  it('a change made through one process reaches an event stream held by the other', async () => {
    const alice = await loggedInClient(pair.a.url);
    const stream = await openSse(pair.b.url, alice.token.accessToken, '?types=contract.created,contract.updated');
    try {
      expect(stream.status).toBe(200);
      const created = await request(pair.a.url, 'POST', '/v1/contracts', {
        token: alice.token.accessToken,
        body: { title: 'Live' },
      });
      await request(pair.a.url, 'PATCH', `/v1/contracts/${created.json.id}`, {
        token: alice.token.accessToken,
        body: { title: 'Live, renamed' },
      });
      const events = (await stream.events(2)).map((f) => ({ event: f.event, ...JSON.parse(f.data!) }));
      expect(events).toMatchObject([
        { event: 'contract.created', type: 'contract.created', contractId: created.json.id },
        { event: 'contract.updated', type: 'contract.updated', contractId: created.json.id },
      ]);
    } finally {
      await stream.close();
    }
  });
});

describe('two processes: sessions cached in-process', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair({ CMS_RATE_LIMIT: 'off' });
  }, 120_000);
  afterAll(() => pair?.stop(), 60_000);

  /** B has authenticated `token` (twice: its verification and session are now cached in B). */
  const warmOnB = async (token: string) => {
    for (let i = 0; i < 2; i++) expect((await request(pair.b.url, 'GET', '/v1/me', { token })).status).toBe(200);
  };

  it('a logout on A is honoured by B for the very next request, every time', async () => {
    for (let round = 0; round < 8; round++) {
      const alice = await loggedInClient(pair.a.url);
      const token = alice.token.accessToken;
      await warmOnB(token);
      expect((await request(pair.a.url, 'POST', '/v1/auth/logout', { token })).status).toBe(204);
      expect((await request(pair.b.url, 'GET', '/v1/me', { token })).json).toMatchObject({
        status: 401,
        code: 'invalid_token',
        detail: 'The session has ended; log in again.',
      });
    }
  });

  it('a role change or removal made through A is enforced by B at once', async () => {
    const owner = await loggedInClient(pair.a.url);
    const org = await owner.client.organizations.create({ name: 'Two-process ACME' });
    const ownerToken = (await owner.client.auth.refresh({ organizationId: org.id })).accessToken;
    for (let round = 0; round < 4; round++) {
      const member = await memberOf(pair.a.url, owner.client, org.id, 'admin');
      const token = member.token.accessToken;
      const members = `/v1/organizations/${org.id}/members`;
      await warmOnB(token);
      expect((await request(pair.b.url, 'GET', members, { token })).status).toBe(200);
      // Demoted on A: B refuses the admin's token on the next request.
      const demoted = await request(pair.a.url, 'PATCH', `${members}/${member.token.userId}`, {
        token: ownerToken,
        body: { role: 'viewer' },
      });
      expect(demoted.status).toBe(200);
      expect((await request(pair.b.url, 'GET', members, { token })).json).toMatchObject({
        status: 401,
        detail: 'Your roles have changed; refresh the access token.',
      });
      // The refreshed token carries the new role; removal on A ends it on B at once.
      const viewer = (await member.client.auth.refresh()).accessToken;
      await warmOnB(viewer);
      expect((await request(pair.b.url, 'GET', members, { token: viewer })).status).toBe(403);
      const removed = await request(pair.a.url, 'DELETE', `${members}/${member.token.userId}`, {
        token: ownerToken,
      });
      expect(removed.status).toBe(204);
      expect((await request(pair.b.url, 'GET', '/v1/me', { token: viewer })).json).toMatchObject({
        status: 401,
        detail: 'The session has ended; log in again.',
      });
    }
  });
});

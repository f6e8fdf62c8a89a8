// The response cache across server instances and through a Redis outage: instances sharing one
// PostgreSQL (and one Redis, or each its own in-process cache) never serve a body older than the
// database, and a cache that fails is bypassed. Needs the real services: a *.pg.test.ts, run by the
// integration suite (CMS_TEST_DATABASE_URL, CMS_TEST_REDIS_URL).

import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../src/config.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { createScratchDatabase } from '../src/testing/test-database.js';
import { request } from './api-helpers.js';

const adminUrl = process.env.CMS_TEST_DATABASE_URL!;
const redisUrl = process.env.CMS_TEST_REDIS_URL!;

/** Two instances on one scratch database and key directory; `keyValueStore` decides what else they share. */
async function twoInstances(keyValueStore: ServerConfig['keyValueStore']) {
  const scratch = await createScratchDatabase(adminUrl);
  const shared = {
    database: { engine: 'postgres' as const, url: scratch.url, poolSize: 3 },
    keyValueStore,
    dataDir: mkdtempSync(join(tmpdir(), 'cms-cache-')),
    publicUrl: 'http://cms.test',
  };
  const a = await startTestServer(shared);
  const b = await startTestServer(shared);
  // One user, logged in on each instance (sessions may be per instance).
  const signer = await didKeySigner((await generateDidKey()).privateKey);
  const tokenA = (await createCmsClient({ baseUrl: a.url }).auth.login(signer)).accessToken;
  const tokenB = (await createCmsClient({ baseUrl: b.url }).auth.login(signer)).accessToken;
  return {
    a,
    b,
    viaA: (method: string, path: string, o: { body?: unknown; headers?: Record<string, string> } = {}) =>
      request(a.url, method, path, { token: tokenA, ...o }),
    viaB: (method: string, path: string, o: { body?: unknown; headers?: Record<string, string> } = {}) =>
      request(b.url, method, path, { token: tokenB, ...o }),
    close: async () => (await a.close(), await b.close(), await scratch.drop()),
  };
}

describe('two instances sharing PostgreSQL and Redis', () => {
  let pair: Awaited<ReturnType<typeof twoInstances>>;
  beforeAll(async () => {
    pair = await twoInstances({
      engine: 'redis',
      url: redisUrl,
      keyPrefix: `cms-test-${randomBytes(6).toString('hex')}:`,
    });
  });
  afterAll(() => pair?.close());

  it('shares cached bodies, and a write on one instance makes the next read on the other miss', async () => {
    const { b, viaA, viaB } = pair;
    const created = (await viaA('POST', '/v1/contracts', { body: { title: 'Shared cache' } })).json;
    const path = `/v1/contracts/${created.id}`;
    const first = await viaA('GET', path); // fills the shared cache
    const hits = b.services.responseCache.stats.hits;
    const onB = await viaB('GET', path);
    expect(b.services.responseCache.stats.hits).toBe(hits + 1);
    expect(onB.json).toEqual(first.json);
    expect(onB.headers.get('etag')).toBe(first.headers.get('etag'));

    const patched = await viaA('PATCH', path, {
      body: { title: 'Changed on A' },
      headers: { 'if-match': first.headers.get('etag')! },
    });
    expect(patched.status).toBe(200);
    const after = await viaB('GET', path, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(after.status).toBe(200);
    expect(after.json.title).toBe('Changed on A');
    expect(after.headers.get('etag')).toBe(patched.headers.get('etag'));
  });

  it('keeps serving reads from the database while the cache store is down', async () => {
    const { a, viaA } = pair;
    const created = (await viaA('POST', '/v1/contracts', { body: { title: 'Cache outage' } })).json;
    const path = `/v1/contracts/${created.id}`;
    const before = await viaA('GET', path);
    // Only the cache's own Redis connection goes away; sessions still work.
    await a.services.responseCache.close();

    const during = await viaA('GET', path);
    expect(during.status).toBe(200);
    expect(during.json).toEqual(before.json);
    expect((await viaA('GET', path, { headers: { 'if-none-match': before.headers.get('etag')! } })).status).toBe(304);
    expect((await viaA('PATCH', path, { body: { title: 'Written during the outage' } })).status).toBe(200);
    expect((await viaA('GET', path)).json.title).toBe('Written during the outage');
    const evidence = await viaA('GET', `${path}/evidence`);
    expect(evidence.status).toBe(200);
    expect(evidence.json.contract.id).toBe(created.id);
  });
});

describe('two instances sharing PostgreSQL, each with its own in-process cache', () => {
  let pair: Awaited<ReturnType<typeof twoInstances>>;
  beforeAll(async () => {
    pair = await twoInstances({ engine: 'memory' });
  });
  afterAll(() => pair?.close());

  it('never serves a body older than the database, though nobody tells the other instance about the write', async () => {
    const { a, viaA, viaB } = pair;
    const created = (await viaA('POST', '/v1/contracts', { body: { title: 'Local caches' } })).json;
    const path = `/v1/contracts/${created.id}`;
    await viaA('GET', path);
    const cached = await viaA('GET', path);
    const hits = a.services.responseCache.stats.hits;
    expect(hits).toBeGreaterThan(0);

    expect((await viaB('PATCH', path, { body: { title: 'Changed on B' } })).status).toBe(200);
    const after = await viaA('GET', path, { headers: { 'if-none-match': cached.headers.get('etag')! } });
    expect(after.status).toBe(200);
    expect(after.json.title).toBe('Changed on B');
    expect(a.services.responseCache.stats.hits).toBe(hits);
  });
});

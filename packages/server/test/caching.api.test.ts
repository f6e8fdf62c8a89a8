// Conditional GET, the response cache and Cache-Control, as clients and caches in front of the server
// see them (in-process cache, PGlite). Anchoring is in caching-anchoring.api.test.ts; Redis shared by
// two instances and a Redis outage in caching.pg.test.ts.
import { didKeySigner } from '@cms/sdk';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts } from '../src/db/schema/index.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;
let alice: Awaited<ReturnType<typeof loggedInClient>>;
let bob: Awaited<ReturnType<typeof loggedInClient>>;
let carol: Awaited<ReturnType<typeof loggedInClient>>;

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol] = await Promise.all([
    loggedInClient(server.url),
    loggedInClient(server.url),
    loggedInClient(server.url),
  ]);
});
afterAll(() => server?.close());

const get = (path: string, token: string, headers: Record<string, string> = {}) =>
  request(server.url, 'GET', path, { token, headers });
const contractEtag = /^"\d+\.[0-9a-f]{12}"$/;

describe('conditional GET of a contract', () => {
  it('answers 304 with no body, the same ETag and Cache-Control when If-None-Match names the current ETag', async () => {
    const c = await alice.client.contracts.create({ title: 'Conditional' });
    const first = await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(contractEtag);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');

    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!, {
        'if-none-match': ifNoneMatch,
      });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('private, no-cache');
    }
    const other = await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!, {
      'if-none-match': '"1.000000000000"',
    });
    expect(other.status).toBe(200);
    expect(other.json).toEqual(first.json);
  });

  it('answers 200 with the new body and a new ETag after an update; the write returns the ETag a GET then sees', async () => {
    const c = await alice.client.contracts.create({ title: 'Before' });
    const before = await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!);
    const etag = before.headers.get('etag')!;
    const patched = await request(server.url, 'PATCH', `/v1/contracts/${c.id}`, {
      token: alice.client.auth.accessToken!,
      body: { title: 'After' },
      headers: { 'if-match': etag },
    });
    expect(patched.status).toBe(200);

    const after = await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ title: 'After', revision: c.revision + 1 });
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.headers.get('etag')).toBe(patched.headers.get('etag'));
  });

  it('accepts the full ETag and the bare revision in If-Match, and refuses a stale one', async () => {
    const c = await alice.client.contracts.create({ title: 'If-Match' });
    const etag = (await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!)).headers.get('etag')!;
    const patch = (ifMatch: string, title: string) =>
      request(server.url, 'PATCH', `/v1/contracts/${c.id}`, {
        token: alice.client.auth.accessToken!,
        body: { title },
        headers: { 'if-match': ifMatch },
      });
    expect((await patch(etag, 'One')).status).toBe(200);
    const stale = await patch(etag, 'Two');
    expect(stale.status).toBe(412);
    expect(stale.json.code).toBe('precondition_failed');
    expect((await patch(`"${c.revision + 1}"`, 'Three')).status).toBe(200);
    expect((await alice.client.contracts.get(c.id)).title).toBe('Three');
  });

  it('serves a repeated read from the cache with the same body', async () => {
    const c = await alice.client.contracts.create({ title: 'Hot', terms: { n: 1 } });
    const first = await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!);
    const hits = server.services.responseCache.stats.hits;
    const second = await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!);
    expect(server.services.responseCache.stats.hits).toBe(hits + 1);
    expect(second.status).toBe(200);
    expect(second.headers.get('content-type')).toMatch(/^application\/json/);
    expect(second.json).toEqual(first.json);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
  });

  it('never serves a cached contract to a caller of another organization, but does to its parties', async () => {
    const c = await alice.client.contracts.create({
      title: 'Tenant A only',
      parties: [{ did: carol.key.did, role: 'signer' }],
    });
    await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!);
    await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!); // now certainly cached
    const hits = server.services.responseCache.stats.hits;

    const stranger = await get(`/v1/contracts/${c.id}`, bob.client.auth.accessToken!);
    expect(stranger.status).toBe(404);
    expect(stranger.json.code).toBe('not_found');
    expect(stranger.text).not.toContain('Tenant A only');
    // Not even a 304 for a stranger who guessed the ETag: authorization comes first.
    const etag = (await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!)).headers.get('etag')!;
    expect((await get(`/v1/contracts/${c.id}`, bob.client.auth.accessToken!, { 'if-none-match': etag })).status).toBe(
      404,
    );
    expect(server.services.responseCache.stats.hits).toBe(hits + 1); // alice's read only

    // Carol is a party (another organization): she may read it.
    expect((await get(`/v1/contracts/${c.id}`, carol.client.auth.accessToken!)).json.title).toBe('Tenant A only');
  });

  it("marks a party's first read as viewed instead of answering from the cache", async () => {
    const c = await alice.client.contracts.create({
      title: 'Viewed',
      parties: [{ did: carol.key.did, role: 'signer' }],
    });
    const sent = await alice.client.contracts.send(c.id);
    await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!); // cached with carol `sent`
    const read = await get(`/v1/contracts/${c.id}`, carol.client.auth.accessToken!);
    expect(read.json).toMatchObject({
      revision: sent.revision + 1,
      parties: [{ did: carol.key.did, status: 'viewed' }],
    });
    expect(read.headers.get('etag')).toMatch(new RegExp(`^"${sent.revision + 1}\\.`));
    expect((await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!)).json.parties[0].status).toBe('viewed');
  });

  it('misses the cache after a change made outside this process (another instance), without any invalidation', async () => {
    const c = await alice.client.contracts.create({ title: 'Shared database' });
    const before = await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!);
    // What another instance's commit looks like to this one: the rows changed, this process was not told.
    await server.services.database.db
      .update(contracts)
      .set({ title: 'Changed elsewhere', revision: sql`${contracts.revision} + 1` })
      .where(eq(contracts.id, c.id));
    const after = await get(`/v1/contracts/${c.id}`, alice.client.auth.accessToken!, {
      'if-none-match': before.headers.get('etag')!,
    });
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ title: 'Changed elsewhere', revision: c.revision + 1 });
  });
});

describe('conditional GET of evidence, history and lists', () => {
  it('gives evidence an ETag that changes with a signature, and 304 while unchanged', async () => {
    const c = await alice.client.contracts.send(
      (await alice.client.contracts.create({ title: 'Evidence', parties: [{ did: carol.key.did, role: 'signer' }] }))
        .id,
    );
    const path = `/v1/contracts/${c.id}/evidence`;
    const first = await get(path, alice.client.auth.accessToken!);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(contractEtag);
    expect((await get(path, alice.client.auth.accessToken!, { 'if-none-match': etag })).status).toBe(304);
    const cached = await get(path, alice.client.auth.accessToken!);
    expect(cached.json).toEqual(first.json);
    expect((await get(path, bob.client.auth.accessToken!, { 'if-none-match': etag })).status).toBe(404);

    await carol.client.contracts.sign(c.id, { signer: await didKeySigner(carol.key.privateKey) });
    const signed = await get(path, alice.client.auth.accessToken!, { 'if-none-match': etag });
    expect(signed.status).toBe(200);
    expect(signed.headers.get('etag')).not.toBe(etag);
    expect(signed.json.contract.status).toBe('executed');
    expect(signed.json.signatures).toHaveLength(1);
  });

  it('tags history and contract lists by content', async () => {
    const c = await alice.client.contracts.create({ title: 'Listed' });
    for (const path of [`/v1/contracts/${c.id}/history`, '/v1/contracts?limit=5']) {
      const first = await get(path, alice.client.auth.accessToken!);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]{22}"$/);
      expect((await get(path, alice.client.auth.accessToken!, { 'if-none-match': etag })).status).toBe(304);
      await alice.client.contracts.update(c.id, { title: `Listed ${path}` });
      const changed = await get(path, alice.client.auth.accessToken!, { 'if-none-match': etag });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
    }
  });
});

describe('Cache-Control', () => {
  it('forbids storing tokens, sessions and errors', async () => {
    const challenge = await request(server.url, 'POST', '/v1/auth/challenge', { body: { did: alice.key.did } });
    expect(challenge.status).toBe(201);
    expect(challenge.headers.get('cache-control')).toBe('no-store');
    const refreshed = await request(server.url, 'POST', '/v1/auth/refresh', {
      body: { refreshToken: (await loggedInClient(server.url)).token.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('cache-control')).toBe('no-store');
    expect((await get('/v1/auth/sessions', alice.client.auth.accessToken!)).headers.get('cache-control')).toBe(
      'no-store',
    );
    const missing = await get('/v1/contracts/01900000-0000-7000-8000-000000000000', alice.client.auth.accessToken!);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    const malformed = await request(server.url, 'POST', '/v1/contracts', {
      token: alice.client.auth.accessToken!,
      rawBody: '{"title":',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('cache-control')).toBe('no-store');
  });
});

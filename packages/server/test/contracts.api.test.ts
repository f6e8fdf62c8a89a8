import { type CmsClient, CmsNotFoundError, computeContentHash } from '@cms/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;
let alice: Awaited<ReturnType<typeof loggedInClient>>;
let bob: Awaited<ReturnType<typeof loggedInClient>>;

beforeAll(async () => {
  server = await sharedTestServer();
  [alice, bob] = await Promise.all([loggedInClient(server.url), loggedInClient(server.url)]);
});
afterAll(() => server?.close());

describe('contracts', () => {
  it('creates a draft contract and reads it back', async () => {
    const created = await alice.client.contracts.create({
      title: 'Mutual NDA',
      description: 'Between ACME and Globex',
      terms: { jurisdiction: 'DE', durationMonths: 24, nested: { a: [1, 2, { b: null }] } },
      parties: [
        { did: alice.key.did, role: 'signer', name: 'Alice' },
        { did: bob.key.did, role: 'signer', signingOrder: 2 },
      ],
      externalId: 'crm-42',
      metadata: { team: 'legal' },
      expiresAt: '2030-01-01T00:00:00+02:00',
    });
    expect(created).toMatchObject({
      title: 'Mutual NDA',
      status: 'draft',
      version: 1,
      organizationId: alice.token.organizationId,
      createdBy: alice.key.did,
      externalId: 'crm-42',
      metadata: { team: 'legal' },
      expiresAt: '2029-12-31T22:00:00.000Z',
      parties: [
        { did: alice.key.did, role: 'signer', name: 'Alice', signingOrder: 1 },
        { did: bob.key.did, role: 'signer', name: null, signingOrder: 2 },
      ],
    });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Anyone holding the contract can recompute its content hash.
    expect(created.contentHash).toBe(await computeContentHash(created));
    expect(await alice.client.contracts.get(created.id)).toEqual(created);
  });

  it('hides other organizations’ contracts as not found', async () => {
    const secret = await alice.client.contracts.create({ title: 'Alice only' });
    const error = await bob.client.contracts.get(secret.id).catch((e) => e);
    expect(error).toBeInstanceOf(CmsNotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
    const bobs = await collect(bob.client);
    expect(bobs.map((c) => c.id)).not.toContain(secret.id);
  });

  it('lists newest first with cursors that stay stable while contracts are created', async () => {
    const { client } = await loggedInClient(server.url);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await client.contracts.create({ title: `C${i}` })).id);
    const first = await client.contracts.list({ limit: 3 });
    expect(first.data.map((c) => c.id)).toEqual(ids.slice(4).reverse());
    await client.contracts.create({ title: 'created between pages' });
    const second = await client.contracts.list({ limit: 3, cursor: first.nextCursor! });
    expect(second.data.map((c) => c.id)).toEqual(ids.slice(1, 4).reverse());
    const third = await client.contracts.list({ limit: 3, cursor: second.nextCursor! });
    expect(third.data.map((c) => c.id)).toEqual([ids[0]]);
    expect(third.nextCursor).toBeNull();
    expect(await collect(client)).toHaveLength(8);
  });

  it('filters by status', async () => {
    const { client } = await loggedInClient(server.url);
    await client.contracts.create({ title: 'draft one' });
    expect((await client.contracts.list({ status: 'draft' })).data).toHaveLength(1);
    expect((await client.contracts.list({ status: 'executed' })).data).toHaveLength(0);
  });

  it('rejects a cursor it did not issue', async () => {
    const res = await request(server.url, 'GET', '/v1/contracts?cursor=bm9wZQ', {
      token: alice.client.auth.accessToken,
    });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: 'validation_failed', errors: [{ path: '/query/cursor' }] });
  });
});

async function collect(client: CmsClient) {
  const all = [];
  for await (const c of client.contracts.listAll({ limit: 2 })) all.push(c);
  return all;
}

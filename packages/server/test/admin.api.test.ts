// GET /v1/admin/organizations: every organization of the deployment, for the DIDs in CMS_OPERATOR_DIDS only
// (an owner of an organization is not an operator), paged oldest first with member and contract counts.
import { createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;
let operatorToken: string;
beforeAll(async () => {
  const operatorKey = await generateDidKey();
  server = await startTestServer({ operatorDids: [operatorKey.did] });
  const operator = createCmsClient({ baseUrl: server.url });
  operatorToken = (await operator.auth.login(await didKeySigner(operatorKey.privateKey))).accessToken;
});
afterAll(() => server?.close());

const page = (query = '', token = operatorToken) =>
  request(server.url, 'GET', `/v1/admin/organizations${query}`, { token });

describe('GET /v1/admin/organizations', () => {
  it('lists every organization with its counts, in pages, to an operator', async () => {
    const alice = await loggedInClient(server.url);
    const bob = await loggedInClient(server.url);
    await alice.client.contracts.create({ title: 'One', terms: {}, parties: [] });
    await alice.client.contracts.create({ title: 'Two', terms: {}, parties: [] });
    const second = await alice.client.organizations.create({ name: 'Alice Two' });
    await alice.client.auth.refresh({ organizationId: second.id });
    await alice.client.invitations.create(second.id, { did: bob.key.did, role: 'member' }).then(async (inv) => {
      await bob.client.invitations.accept(inv.id, bob.signer);
    });

    const all: { id: string; name: string; memberCount: number; contractCount: number; createdAt: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await page(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json.data.length).toBeLessThanOrEqual(2);
      all.push(...res.json.data);
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThan(1);
    // Oldest first, each once.
    expect(all.map((o) => o.id)).toEqual([...all.map((o) => o.id)].sort());
    expect(new Set(all.map((o) => o.id)).size).toBe(all.length);
    const aliceOrg = all.find((o) => o.id === alice.token.organizationId);
    expect(aliceOrg).toMatchObject({ memberCount: 1, contractCount: 2 });
    expect(all.find((o) => o.id === second.id)).toMatchObject({ name: 'Alice Two', memberCount: 2, contractCount: 0 });
    expect(all.find((o) => o.id === bob.token.organizationId)).toMatchObject({ memberCount: 1, contractCount: 0 });
  });

  it('refuses everyone else, owners included, and a cursor it did not issue', async () => {
    const owner = await loggedInClient(server.url);
    const res = await page('', owner.token.accessToken);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('forbidden');
    expect((await request(server.url, 'GET', '/v1/admin/organizations')).status).toBe(401);
    const bad = await page('?cursor=bm90LWEtdXVpZA');
    expect(bad.status).toBe(422);
    expect(bad.json.code).toBe('validation_failed');
  });

  it('reads the operators from CMS_OPERATOR_DIDS, and refuses what is not a DID', () => {
    expect(loadConfig({ CMS_OPERATOR_DIDS: 'did:key:z6Mkabc, did:pkh:eip155:1:0xabc' }).operatorDids).toEqual([
      'did:key:z6Mkabc',
      'did:pkh:eip155:1:0xabc',
    ]);
    expect(loadConfig({}).operatorDids).toEqual([]);
    expect(() => loadConfig({ CMS_OPERATOR_DIDS: 'alice' })).toThrow(/CMS_OPERATOR_DIDS/);
  });
});

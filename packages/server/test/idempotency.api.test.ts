// Idempotency-Key: retries are safe, duplicates create one contract, misuse is refused.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { contracts } from '../src/db/schema/index.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;
let alice: Awaited<ReturnType<typeof loggedInClient>>;
let bob: Awaited<ReturnType<typeof loggedInClient>>;

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = [await loggedInClient(server.url), await loggedInClient(server.url)];
});
afterAll(() => server?.close());

const create = (token: string | undefined, key: string, body: unknown) =>
  request(server.url, 'POST', '/v1/contracts', { token, body, headers: { 'idempotency-key': key } });
const countTitled = async (title: string) =>
  (await server.services.database.db.select().from(contracts).where(eq(contracts.title, title))).length;

it('concurrent duplicates with one key create exactly one contract', async () => {
  const title = `dup-${Date.now()}`;
  const results = await Promise.all(
    Array.from({ length: 12 }, () => create(alice.client.auth.accessToken, 'k-concurrent', { title })),
  );
  expect(await countTitled(title)).toBe(1);
  const created = results.filter((r) => r.status === 201);
  expect(created.length).toBeGreaterThanOrEqual(1);
  expect(new Set(created.map((r) => r.json.id)).size).toBe(1);
  // The others either got the replay of the first response or were told it is still running.
  for (const r of results.filter((r) => r.status !== 201)) {
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('idempotency_key_in_use');
    // …and when to retry: the SDK waits that long and retries with the same key.
    expect(r.headers.get('retry-after')).toMatch(/^[1-5]$/);
  }
});

it('replays the first response for a retry', async () => {
  const first = await create(alice.client.auth.accessToken, 'k-replay', { title: 'Replay me' });
  const again = await create(alice.client.auth.accessToken, 'k-replay', { title: 'Replay me' });
  expect(again.status).toBe(201);
  expect(again.json).toEqual(first.json);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
  expect(await countTitled('Replay me')).toBe(1);
});

it('refuses the same key for a different request', async () => {
  await create(alice.client.auth.accessToken, 'k-reuse', { title: 'One' });
  const other = await create(alice.client.auth.accessToken, 'k-reuse', { title: 'Two' });
  expect(other.status).toBe(422);
  expect(other.json.code).toBe('idempotency_key_reused');
  expect(await countTitled('Two')).toBe(0);
});

it('scopes keys to the caller', async () => {
  const a = await create(alice.client.auth.accessToken, 'k-shared', { title: 'Scoped' });
  const b = await create(bob.client.auth.accessToken, 'k-shared', { title: 'Scoped' });
  expect([a.status, b.status]).toEqual([201, 201]);
  expect(a.json.id).not.toBe(b.json.id);
  expect(a.json.organizationId).not.toBe(b.json.organizationId);
});

it('does not keep failed requests: a retry with the same key runs again', async () => {
  const c = await alice.client.contracts.create({ title: 'Retry after 412' });
  const token = alice.client.auth.accessToken;
  const patch = (ifMatch: string) =>
    request(server.url, 'PATCH', `/v1/contracts/${c.id}`, {
      token,
      body: { title: 'Changed' },
      headers: { 'idempotency-key': 'k-412', 'if-match': ifMatch },
    });
  expect((await patch('"99"')).status).toBe(412);
  const retried = await patch(`"${c.revision}"`);
  expect(retried.status).toBe(200);
  expect(retried.json.title).toBe('Changed');
  expect(retried.headers.get('idempotent-replayed')).toBeNull();
});

it('rejects malformed keys', async () => {
  const res = await create(alice.client.auth.accessToken, 'x'.repeat(256), { title: 'Too long a key' });
  expect(res.status).toBe(422);
  expect(res.json.errors[0].path).toBe('/headers/idempotency-key');
});

it('makes every authenticated write retry-safe: a retried send replays its answer instead of 409 invalid_transition', async () => {
  const c = await alice.client.contracts.create({
    title: 'Send twice',
    parties: [{ did: bob.key.did, role: 'signer' }],
  });
  const token = alice.client.auth.accessToken;
  const send = (key: string) =>
    request(server.url, 'POST', `/v1/contracts/${c.id}/send`, { token, body: {}, headers: { 'idempotency-key': key } });
  const first = await send('k-send');
  expect(first.status).toBe(200);
  expect(first.json.status).toBe('pending');
  const retried = await send('k-send');
  expect(retried.status).toBe(200);
  expect(retried.headers.get('idempotent-replayed')).toBe('true');
  expect(retried.json).toEqual(first.json);
  // A new key is a new request: the contract is no longer a draft.
  expect((await send('k-send-again')).json.code).toBe('invalid_transition');
});

it('replays organization writes too: a retried invitation creates one invitation', async () => {
  const orgId = alice.token.organizationId;
  const invite = () =>
    request(server.url, 'POST', `/v1/organizations/${orgId}/invitations`, {
      token: alice.client.auth.accessToken,
      body: { did: bob.key.did, role: 'member' },
      headers: { 'idempotency-key': 'k-invite' },
    });
  const [first, retried] = [await invite(), await invite()];
  expect(first.status).toBe(201);
  expect(retried.headers.get('idempotent-replayed')).toBe('true');
  expect(retried.json.id).toBe(first.json.id);
  const list = await request(server.url, 'GET', `/v1/organizations/${orgId}/invitations`, {
    token: alice.client.auth.accessToken,
  });
  expect(list.json.data.filter((i: { did: string }) => i.did === bob.key.did)).toHaveLength(1);
});

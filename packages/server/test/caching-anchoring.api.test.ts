// Anchoring changes a contract's ledger status without a new revision: its ETag and cached body must
// follow anyway, and confirmed ledger records get their long-lived Cache-Control. Needs a chain (anvil).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitForAnchor } from '../src/ledger/wait-for-anchor.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;
beforeAll(async () => {
  // Batches wait an hour to fill, so events stay `pending` until the test flushes them.
  server = await startTestServer({
    chain: { mode: 'embedded', confirmations: 1 },
    ledger: { batchSize: 1000, batchMaxWaitMs: 3_600_000 },
  });
});
afterAll(() => server?.close());

it('changes the ETag of a contract and of its evidence when its event is anchored, and never serves the pending body again', async () => {
  const owner = await loggedInClient(server.url);
  const token = owner.client.auth.accessToken!;
  const created = await owner.client.contracts.create({ title: 'Anchored later' });
  const get = (path: string, headers: Record<string, string> = {}) =>
    request(server.url, 'GET', path, { token, headers });

  const pending = await get(`/v1/contracts/${created.id}`);
  expect(pending.json.ledger).toMatchObject({ status: 'pending', transactionHash: null });
  await get(`/v1/contracts/${created.id}`); // cached now
  const pendingEvidence = await get(`/v1/contracts/${created.id}/evidence`);
  expect(pendingEvidence.json.anchors).toEqual([]);

  const [event] = pendingEvidence.json.events as { id: string }[];
  expect((await waitForAnchor(server.services, event!.id, { timeoutMs: 20_000 }))?.status).toBe('confirmed');

  const anchored = await get(`/v1/contracts/${created.id}`, { 'if-none-match': pending.headers.get('etag')! });
  expect(anchored.status).toBe(200);
  expect(anchored.json.revision).toBe(pending.json.revision);
  expect(anchored.json.ledger).toMatchObject({
    status: 'confirmed',
    transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
  });
  expect(anchored.headers.get('etag')).not.toBe(pending.headers.get('etag'));
  expect((await get(`/v1/contracts/${created.id}`, { 'if-none-match': anchored.headers.get('etag')! })).status).toBe(
    304,
  );

  const evidence = await get(`/v1/contracts/${created.id}/evidence`, {
    'if-none-match': pendingEvidence.headers.get('etag')!,
  });
  expect(evidence.status).toBe(200);
  expect(evidence.json.anchors).toMatchObject([{ auditEventId: event!.id, status: 'confirmed' }]);

  // Anchoring is no conflicting edit: the ETag read before it still passes If-Match.
  const patched = await request(server.url, 'PATCH', `/v1/contracts/${created.id}`, {
    token,
    body: { title: 'Edited after anchoring' },
    headers: { 'if-match': pending.headers.get('etag')! },
  });
  expect(patched.status).toBe(200);
});

it('lets browsers keep a confirmed proof and shared caches a confirmed batch; both revalidate by ETag', async () => {
  const owner = await loggedInClient(server.url);
  const token = owner.client.auth.accessToken!;
  const created = await owner.client.contracts.create({ title: 'Proof' });
  const [event] = (await owner.client.contracts.evidence(created.id)).events;

  const pendingProof = await request(server.url, 'GET', `/v1/ledger/events/${event!.id}`, { token });
  expect(pendingProof.json.status).toBe('pending');
  expect(pendingProof.headers.get('cache-control')).toBe('private, no-cache');

  const record = await waitForAnchor(server.services, event!.id, { timeoutMs: 20_000 });
  expect(record?.status).toBe('confirmed');
  const proof = await request(server.url, 'GET', `/v1/ledger/events/${event!.id}`, {
    token,
    headers: { 'if-none-match': pendingProof.headers.get('etag')! },
  });
  expect(proof.status).toBe(200);
  expect(proof.headers.get('cache-control')).toBe('private, max-age=86400');
  const proofAgain = await request(server.url, 'GET', `/v1/ledger/events/${event!.id}`, {
    token,
    headers: { 'if-none-match': proof.headers.get('etag')! },
  });
  expect(proofAgain.status).toBe(304);
  expect(proofAgain.headers.get('cache-control')).toBe('private, max-age=86400');

  const batch = await request(server.url, 'GET', `/v1/ledger/batches/${record!.batchId}`, { token });
  expect(batch.json).toMatchObject({ status: 'confirmed', root: record!.root });
  expect(batch.headers.get('cache-control')).toBe('private, max-age=86400');
  expect(
    (
      await request(server.url, 'GET', `/v1/ledger/batches/${record!.batchId}`, {
        token,
        headers: { 'if-none-match': batch.headers.get('etag')! },
      })
    ).status,
  ).toBe(304);

  // Another organization cannot see the proof, cached or not.
  const stranger = await loggedInClient(server.url);
  expect(
    (
      await request(server.url, 'GET', `/v1/ledger/events/${event!.id}`, {
        token: stranger.client.auth.accessToken!,
        headers: { 'if-none-match': proof.headers.get('etag')! },
      })
    ).status,
  ).toBe(404);
});

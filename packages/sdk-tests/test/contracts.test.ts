// The contract lifecycle through the SDK against a real server: drafts, optimistic concurrency, sending,
// signatures by a did:key party and a did:pkh party, history, evidence verified locally, the other ways
// out (decline, void, terminate), idempotent creates, and paging through a list.
import { CmsConflictError, createCmsClient, EvmVerifierRequiredError, verifyEvidence as verifyOffline } from '@cms/sdk';
import { evmEvidenceVerifier, verifyEvidence } from '@cms/sdk/evm';
import { sharedTestServer, type TestServer } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DidKeyUser, didKeyUser, errorOf, ethereumUser } from './users.js';

let server: TestServer;
let owner: DidKeyUser, alice: DidKeyUser;
let bob: Awaited<ReturnType<typeof ethereumUser>>;
beforeAll(async () => {
  server = await sharedTestServer();
  [owner, alice, bob] = await Promise.all([didKeyUser(server.url), didKeyUser(server.url), ethereumUser(server.url)]);
});
afterAll(() => server?.close());

const draft = (title = 'Consulting agreement') =>
  owner.client.contracts.create({
    title,
    terms: { rate: 120, currency: 'EUR' },
    parties: [
      { did: alice.did, role: 'signer', signingOrder: 1, name: 'Alice' },
      { did: bob.did, role: 'signer', signingOrder: 2, name: 'Bob' },
    ],
  });

describe('lifecycle', () => {
  it('drafts, updates with If-Match, sends, is signed by a did:key and a did:pkh party, and verifies', async () => {
    const created = await draft();
    expect(created).toMatchObject({ status: 'draft', title: 'Consulting agreement' });
    expect(await owner.client.contracts.get(created.id)).toEqual(created);

    const updated = await owner.client.contracts.update(
      created.id,
      { title: 'Consulting agreement 2027' },
      { ifMatch: created.revision },
    );
    expect(updated.title).toBe('Consulting agreement 2027');
    const stale = await errorOf(
      owner.client.contracts.update(created.id, { title: 'Lost update' }, { ifMatch: created.revision }),
    );
    expect(stale).toBeInstanceOf(CmsConflictError);
    expect(stale).toMatchObject({ status: 412, code: 'precondition_failed', requestId: expect.any(String) });

    const sent = await owner.client.contracts.send(created.id, { ifMatch: updated.revision });
    expect(sent.status).toBe('pending');
    const payload = await alice.client.contracts.signingPayload(created.id);
    expect(payload).toMatchObject({
      contractId: created.id,
      signer: alice.did,
      intent: 'sign',
      contentHash: sent.contentHash,
    });

    expect((await alice.client.contracts.sign(created.id, { signer: alice.signer })).status).toBe('partially_signed');
    const executed = await bob.client.contracts.sign(created.id, { signer: bob.account });
    expect(executed.status).toBe('executed');
    expect(executed.parties.map((p) => p.status)).toEqual(['signed', 'signed']);

    const history = await owner.client.contracts.history(created.id);
    expect(history.data.map((e) => e.toStatus).filter(Boolean)).toEqual([
      'draft',
      'draft',
      'pending',
      'partially_signed',
      'executed',
    ]); // create, update, send, two signatures

    const evidence = await owner.client.contracts.evidence(created.id);
    expect(evidence.signatures).toHaveLength(2);
    const offline = await verifyEvidence(evidence);
    expect(offline.checks.filter((c) => !c.ok)).toEqual([]);
    expect(offline).toMatchObject({ valid: true, chainChecked: false });
    expect(await owner.client.contracts.verify(created.id, { evm: evmEvidenceVerifier() })).toMatchObject({
      valid: true,
      chainChecked: false,
    });
    // The main entry has no viem: the did:pkh (EIP-712) signature needs @cms/sdk/evm.
    await expect(verifyOffline(evidence)).rejects.toThrow(EvmVerifierRequiredError);

    // Tampering with the bundle is caught locally.
    const tampered = { ...evidence, contract: { ...evidence.contract, terms: { rate: 1, currency: 'EUR' } } };
    expect((await verifyEvidence(tampered)).valid).toBe(false);

    expect((await owner.client.contracts.terminate(created.id, 'Project cancelled')).status).toBe('terminated');
  });

  it('ends a contract by decline (signed by the party) or void (by the owner), and refuses illegal transitions', async () => {
    const declined = await owner.client.contracts.send((await draft()).id);
    expect((await alice.client.contracts.decline(declined.id, 'Rate too low', { signer: alice.signer })).status).toBe(
      'declined',
    );

    const voided = await draft();
    expect((await owner.client.contracts.void(voided.id, 'Duplicate')).status).toBe('voided');
    const error = await errorOf(owner.client.contracts.send(voided.id));
    expect(error).toBeInstanceOf(CmsConflictError);
    expect(error).toMatchObject({
      status: 409,
      code: 'invalid_transition',
      docsPath: 'docs/errors/invalid_transition.md',
    });
  });
});

describe('idempotency', () => {
  it('answers a create retried with the same Idempotency-Key with the same contract, once', async () => {
    const input = { title: `Idempotent ${Date.now()}` };
    const first = await owner.client.contracts.create(input, { idempotencyKey: 'sdk-tests-create-1' });
    const again = await owner.client.contracts.create(input, { idempotencyKey: 'sdk-tests-create-1' });
    expect(again).toEqual(first);
    const other = await owner.client.contracts.create(input);
    expect(other.id).not.toBe(first.id);
    const titled = await owner.client.contracts.list({ q: input.title }).toArray();
    expect(titled.map((c) => c.id).sort()).toEqual([first.id, other.id].sort());

    const reused = await errorOf(
      owner.client.contracts.create({ title: 'Something else' }, { idempotencyKey: 'sdk-tests-create-1' }),
    );
    expect(reused).toMatchObject({ name: 'CmsValidationError', status: 422, code: 'idempotency_key_reused' });
  });

  it('creates one contract when the response to a create is lost and the SDK retries it', async () => {
    // The server handles the first attempt, then the connection drops before the answer arrives.
    const keys: string[] = [];
    let dropped = false;
    const flaky: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const response = await fetch(request);
      if (request.method === 'POST' && new URL(request.url).pathname === '/v1/contracts') {
        keys.push(request.headers.get('idempotency-key')!);
        if (!dropped) {
          dropped = true;
          throw new TypeError('fetch failed: socket hang up');
        }
      }
      return response;
    };
    const client = createCmsClient({ baseUrl: server.url, accessToken: owner.client.auth.accessToken, fetch: flaky });
    const title = `Lost answer ${Date.now()}`;
    const created = await client.contracts.create({ title });
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect((await owner.client.contracts.list({ q: title }).toArray()).map((c) => c.id)).toEqual([created.id]);
  });
});

describe('pagination', () => {
  it('iterates every contract across pages, newest first, with filters', async () => {
    const lister = await didKeyUser(server.url);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await lister.client.contracts.create({ title: `Paged ${i}` })).id);

    const firstPage = await lister.client.contracts.list({ limit: 2 });
    expect(firstPage.data).toHaveLength(2);
    expect(firstPage.nextCursor).toEqual(expect.any(String));

    const seen: string[] = [];
    for await (const c of lister.client.contracts.list({ limit: 2, status: 'draft' })) seen.push(c.id);
    expect(seen).toEqual([...made].reverse());
    expect((await lister.client.contracts.list({ limit: 2 }).toArray({ limit: 3 })).map((c) => c.id)).toEqual(
      made.slice(2).reverse(),
    );
    const viaListAll: string[] = [];
    for await (const c of lister.client.contracts.listAll({ limit: 2 })) viaListAll.push(c.id);
    expect(viaListAll).toEqual(seen);
  });
});

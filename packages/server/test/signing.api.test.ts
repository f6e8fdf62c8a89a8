import {
  CmsIntegrityError,
  computeContentHash,
  contractSignerDid,
  createCmsClient,
  type DidSigner,
  didKeySigner,
  didPkhFromAddress,
  generateDidKey,
  SIGNATURE_JWS_TYPE,
  type SigningPayload,
  signCompactJws,
  signPayload,
} from '@cms/sdk';
import { verifyEvidence } from '@cms/sdk/evm';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;
let owner: Awaited<ReturnType<typeof loggedInClient>>;
let alice: Awaited<ReturnType<typeof loggedInClient>> & { signer: DidSigner };
let carol: Awaited<ReturnType<typeof loggedInClient>> & { signer: DidSigner };
const bobAccount = privateKeyToAccount(generatePrivateKey());
const bobDid = didPkhFromAddress(bobAccount.address);
let bob: ReturnType<typeof createCmsClient>;

beforeAll(async () => {
  server = await sharedTestServer();
  owner = await loggedInClient(server.url);
  const a = await loggedInClient(server.url);
  const c = await loggedInClient(server.url);
  alice = { ...a, signer: await didKeySigner(a.key.privateKey) };
  carol = { ...c, signer: await didKeySigner(c.key.privateKey) };
  bob = createCmsClient({ baseUrl: server.url });
  await bob.auth.login(bobAccount);
});
afterAll(() => server?.close());

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e) => e,
  );

async function sentContract() {
  const c = await owner.client.contracts.create({
    title: 'Consulting agreement',
    terms: { rate: 120 },
    parties: [
      { did: alice.key.did, role: 'signer', signingOrder: 1 },
      { did: bobDid, role: 'signer', signingOrder: 2 },
    ],
  });
  return owner.client.contracts.send(c.id);
}

const payloadFor = (
  c: { id: string; version: number; contentHash: string },
  signer: string,
  extra: Partial<SigningPayload> = {},
): SigningPayload => ({
  type: 'cms.signature.v1',
  contractId: c.id,
  version: c.version,
  contentHash: c.contentHash,
  signer,
  role: 'signer',
  intent: 'sign',
  signedAt: new Date().toISOString(),
  ...extra,
});
const submit = (token: string | undefined, contractId: string, body: unknown) =>
  request(server.url, 'POST', `/v1/contracts/${contractId}/signatures`, { token, body });

describe('signing', () => {
  it('records an Ed25519 JWS and an EIP-712 signature, in order, to executed', async () => {
    const c = await sentContract();
    const afterAlice = await alice.client.contracts.sign(c.id, { signer: alice.signer });
    expect(afterAlice.status).toBe('partially_signed');
    const executed = await bob.contracts.sign(c.id, { signer: bobAccount });
    expect(executed.status).toBe('executed');
    const evidence = await owner.client.contracts.evidence(c.id);
    expect(evidence.signatures.map((s) => [s.format, s.payload.signer, s.payload.intent])).toEqual([
      ['jws', alice.key.did, 'sign'],
      ['eip712', bobDid, 'sign'],
    ]);
    expect(evidence.contract.contentHash).toBe(await computeContentHash(evidence.contract.content));
    // Each party's fetch before signing is its first view.
    expect(evidence.events.map((e) => e.action)).toEqual([
      'contract.created',
      'contract.send',
      'contract.viewed',
      'contract.sign',
      'contract.viewed',
      'contract.sign',
    ]);
    // A signature's recordedAt is its audit event's time, so the bundle binds it.
    expect(evidence.signatures.map((s) => s.recordedAt)).toEqual(
      evidence.events.filter((e) => e.action === 'contract.sign').map((e) => e.occurredAt),
    );
    expect(await verifyEvidence(evidence)).toMatchObject({ valid: true, chainChecked: false });
  });

  it('stores an EIP-712 signature in one spelling (lower-case hex)', async () => {
    const c = await sentContract();
    await alice.client.contracts.sign(c.id, { signer: alice.signer });
    const body = await signPayload(bobAccount, payloadFor(c, bobDid));
    const res = await submit(bob.auth.accessToken, c.id, {
      ...body,
      signature: body.signature.toUpperCase().replace('0X', '0x'),
    });
    expect(res.json.status).toBe('executed');
    expect((await owner.client.contracts.evidence(c.id)).signatures[1]!.signature).toBe(body.signature);
  });

  it('offers the payload to sign for convenience', async () => {
    const c = await sentContract();
    const res = await request(server.url, 'GET', `/v1/contracts/${c.id}/signing-payload`, {
      token: alice.client.auth.accessToken,
    });
    expect(res.json).toMatchObject({
      type: 'cms.signature.v1',
      contractId: c.id,
      version: c.version,
      contentHash: c.contentHash,
      signer: alice.key.did,
      role: 'signer',
      intent: 'sign',
    });
  });

  it('accepts a signed decline with its reason', async () => {
    const c = await sentContract();
    const declined = await bob.contracts.decline(c.id, 'Rate too low', { signer: bobAccount });
    expect(declined).toMatchObject({
      status: 'declined',
      parties: [{}, { status: 'declined', declineReason: 'Rate too low' }],
    });
    const evidence = await owner.client.contracts.evidence(c.id);
    expect(evidence.signatures[0]!.payload).toMatchObject({
      intent: 'decline',
      reason: 'Rate too low',
      signer: bobDid,
    });
  });
});

describe('signatures the server rejects', () => {
  it('over tampered content', async () => {
    const c = await sentContract();
    const body = await signPayload(alice.signer, payloadFor(c, alice.key.did, { contentHash: `0x${'ab'.repeat(32)}` }));
    const res = await submit(alice.client.auth.accessToken, c.id, body);
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      code: 'invalid_signature',
      detail: 'The signed content hash is not the contract’s.',
    });
  });

  it('over an old version', async () => {
    const draft = await owner.client.contracts.create({
      title: 'v1',
      parties: [{ did: alice.key.did, role: 'signer' }],
    });
    const v2 = await owner.client.contracts.update(draft.id, { title: 'v2' });
    await owner.client.contracts.send(draft.id);
    const res = await submit(
      alice.client.auth.accessToken,
      draft.id,
      await signPayload(alice.signer, payloadFor(draft, alice.key.did)),
    );
    expect(res.status).toBe(412);
    expect(res.json.code).toBe('stale_version');
    expect(v2.version).toBe(2);
  });

  it('by a key that is not a party', async () => {
    const c = await sentContract();
    // The owner's organization can see the contract, but the owner is no signer.
    const ownerSigner = await didKeySigner(owner.key.privateKey);
    const res = await submit(
      owner.client.auth.accessToken,
      c.id,
      await signPayload(ownerSigner, payloadFor(c, owner.key.did)),
    );
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('not_a_party');
    // Someone who is neither a member nor a party cannot even see it.
    const stranger = await submit(
      carol.client.auth.accessToken,
      c.id,
      await signPayload(carol.signer, payloadFor(c, carol.key.did)),
    );
    expect(stranger.status).toBe(404);
  });

  it('made by another key in the name of a party', async () => {
    const c = await sentContract();
    const jws = await signCompactJws(
      new TextEncoder().encode(JSON.stringify(payloadFor(c, alice.key.did))),
      carol.signer,
      { typ: SIGNATURE_JWS_TYPE },
    );
    const res = await submit(alice.client.auth.accessToken, c.id, { format: 'jws', signature: jws });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('invalid_signature');
  });

  it('a valid signature submitted by someone else', async () => {
    const c = await sentContract();
    const res = await submit(
      carol.client.auth.accessToken,
      c.id,
      await signPayload(alice.signer, payloadFor(c, alice.key.did)),
    );
    expect(res.json.code).toBe('not_found'); // carol is no party: the contract does not exist for her
  });

  it('replayed', async () => {
    const c = await sentContract();
    const body = await signPayload(alice.signer, payloadFor(c, alice.key.did));
    expect((await submit(alice.client.auth.accessToken, c.id, body)).status).toBe(200);
    const replay = await submit(alice.client.auth.accessToken, c.id, body);
    expect(replay.status).toBe(409);
    expect(replay.json.code).toBe('already_signed');
  });

  it('out of order', async () => {
    const c = await sentContract();
    const error = await errorOf(bob.contracts.sign(c.id, { signer: bobAccount }));
    expect(error).toMatchObject({ status: 409, code: 'out_of_order' });
  });

  it('on a voided or declined contract', async () => {
    const voided = await sentContract();
    await owner.client.contracts.void(voided.id, 'cancelled');
    expect(await errorOf(alice.client.contracts.sign(voided.id, { signer: alice.signer }))).toMatchObject({
      status: 409,
      code: 'invalid_transition',
    });
    const declined = await sentContract();
    await bob.contracts.decline(declined.id, 'no');
    expect(await errorOf(alice.client.contracts.sign(declined.id, { signer: alice.signer }))).toMatchObject({
      status: 409,
      code: 'invalid_transition',
    });
  });

  it('for another contract, stale in time, or not canonical', async () => {
    const [c, other] = [await sentContract(), await sentContract()];
    const token = alice.client.auth.accessToken;
    const elsewhere = await submit(token, c.id, await signPayload(alice.signer, payloadFor(other, alice.key.did)));
    expect(elsewhere.json).toMatchObject({
      code: 'invalid_signature',
      detail: 'The signature is for another contract.',
    });
    const old = await submit(
      token,
      c.id,
      await signPayload(
        alice.signer,
        payloadFor(c, alice.key.did, { signedAt: new Date(Date.now() - 3_600_000).toISOString() }),
      ),
    );
    expect(old.json.code).toBe('invalid_signature');
    const loose = await signCompactJws(
      new TextEncoder().encode(JSON.stringify(payloadFor(c, alice.key.did), null, 2)),
      alice.signer,
      { typ: SIGNATURE_JWS_TYPE },
    );
    expect((await submit(token, c.id, { format: 'jws', signature: loose })).json).toMatchObject({
      code: 'invalid_signature',
      detail: 'The signed payload is not in canonical form (RFC 8785).',
    });
    const eip712ForDidKey = await submit(token, c.id, {
      format: 'eip712',
      signature: `0x${'11'.repeat(65)}`,
      payload: payloadFor(c, alice.key.did),
    });
    expect(eip712ForDidKey.json.code).toBe('invalid_signature');
    // The same signature bytes spelled with a different last base64url character (its unused low bits).
    const [h, p, sig] = (await signPayload(alice.signer, payloadFor(c, alice.key.did))).signature.split('.') as [
      string,
      string,
      string,
    ];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = `${h}.${p}.${sig.slice(0, -1)}${alphabet[alphabet.indexOf(sig.at(-1)!) ^ 1]}`;
    expect((await submit(token, c.id, { format: 'jws', signature: twin })).json).toMatchObject({
      code: 'invalid_signature',
      detail: 'The JWS is not in canonical base64url.',
    });
  });
});

describe('the SDK', () => {
  it('refuses to sign a contract whose content does not match its hash', async () => {
    const c = await sentContract();
    const posted: string[] = [];
    // A man in the middle rewrites the terms the party is shown; the stated hash stays the server's.
    const tampering: typeof fetch = async (input, init) => {
      const req = new Request(input, init);
      if (req.method === 'POST') posted.push(new URL(req.url).pathname);
      const res = await fetch(req);
      if (req.method !== 'GET' || !new URL(req.url).pathname.endsWith(c.id)) return res;
      const body = await res.json();
      return Response.json({ ...body, terms: { rate: 1 } }, { status: res.status, headers: res.headers });
    };
    const client = createCmsClient({
      baseUrl: server.url,
      accessToken: alice.client.auth.accessToken,
      fetch: tampering,
    });
    const error = await errorOf(client.contracts.sign(c.id, { signer: alice.signer }));
    expect(error).toBeInstanceOf(CmsIntegrityError);
    expect(error.code).toBe('content_hash_mismatch');
    expect(posted).toEqual([]);
    expect(contractSignerDid(alice.signer)).toBe(alice.key.did);
  });
});

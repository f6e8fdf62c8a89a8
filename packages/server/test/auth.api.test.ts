import {
  createCompactJws,
  createLoginProof,
  type DidSigner,
  didKeySigner,
  generateDidKey,
  LOGIN_PROOF_TYPE,
} from '@cms/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { request } from './api-helpers.js';

let server: TestServer;
let signer: DidSigner;

beforeAll(async () => {
  server = await startTestServer();
  signer = await didKeySigner((await generateDidKey()).privateKey);
});
afterAll(() => server?.close());

const challenge = async (did = signer.did) =>
  (await request(server.url, 'POST', '/v1/auth/challenge', { body: { did } })).json;
const exchange = (proof: string) => request(server.url, 'POST', '/v1/auth/token', { body: { proof } });
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('DID login', () => {
  it('issues an access token for a signed challenge and creates the user with a personal organization', async () => {
    const c = await challenge();
    expect(c).toMatchObject({ did: signer.did, audience: server.url });
    expect(Date.parse(c.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
    const res = await exchange(await createLoginProof(signer, c));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, did: signer.did });
    const again = await exchange(await createLoginProof(signer, await challenge()));
    expect(again.json).toMatchObject({ userId: res.json.userId, organizationId: res.json.organizationId });
  });

  it('rejects a replayed nonce', async () => {
    const proof = await createLoginProof(signer, await challenge());
    expect((await exchange(proof)).status).toBe(200);
    const replay = await exchange(proof);
    expect(replay.status).toBe(401);
    expect(replay.json.code).toBe('invalid_challenge');
  });

  it('rejects a proof signed by another key for the challenged DID', async () => {
    const c = await challenge();
    const mallory = await didKeySigner((await generateDidKey()).privateKey);
    const forged = await createCompactJws(
      { iss: signer.did, aud: c.audience, nonce: c.nonce, exp: Math.floor(Date.now() / 1000) + 60 },
      mallory,
      { typ: LOGIN_PROOF_TYPE },
    );
    const res = await exchange(forged);
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({
      code: 'invalid_proof',
      detail: 'The signature does not verify with the DID key.',
    });
  });

  it('rejects a challenge issued to another DID', async () => {
    const other = await didKeySigner((await generateDidKey()).privateKey);
    const res = await exchange(await createLoginProof(signer, await challenge(other.did)));
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('invalid_challenge');
  });

  it.each([
    ['an expired proof', { exp: -120 }, 'The proof has expired.'],
    ['a proof living too long', { exp: 3600 }, 'The proof lives too long.'],
    ['a future-dated proof', { iat: 600, exp: 660 }, 'The proof is dated in the future.'],
    ['a wrong audience', { aud: 'https://elsewhere.example' }, 'The proof is for another audience.'],
  ])('rejects %s', async (_name, change, detail) => {
    const c = await challenge();
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: signer.did,
      aud: c.audience,
      nonce: c.nonce,
      iat: now,
      exp: now + 60,
    };
    for (const [k, v] of Object.entries(change)) claims[k] = typeof v === 'number' ? now + v : v;
    const res = await exchange(await createCompactJws(claims, signer, { typ: LOGIN_PROOF_TYPE }));
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ code: 'invalid_proof', detail });
  });

  it('rejects a wrong typ, alg none and HS256', async () => {
    const c = await challenge();
    const claims = { iss: signer.did, aud: c.audience, nonce: c.nonce, exp: Math.floor(Date.now() / 1000) + 60 };
    const wrongTyp = await exchange(await createCompactJws(claims, signer, { typ: 'JWT' }));
    expect(wrongTyp.json).toMatchObject({
      code: 'invalid_proof',
      detail: `The proof's typ must be ${LOGIN_PROOF_TYPE}.`,
    });
    const none = await exchange(`${b64({ alg: 'none', typ: LOGIN_PROOF_TYPE })}.${b64(claims)}.`);
    expect(none.json).toMatchObject({
      status: 401,
      code: 'invalid_proof',
      detail: 'Algorithm "none" is not accepted.',
    });
    const hs = await exchange(`${b64({ alg: 'HS256', typ: LOGIN_PROOF_TYPE })}.${b64(claims)}.c2ln`);
    expect(hs.json).toMatchObject({ code: 'invalid_proof', detail: 'Algorithm "HS256" is not accepted.' });
  });

  it('rejects DID methods it cannot verify, and did:web unless enabled', async () => {
    const res = await request(server.url, 'POST', '/v1/auth/challenge', { body: { did: 'did:web:example.com' } });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('unsupported_did_method');
  });
});

describe('access tokens', () => {
  const tokenFor = async () =>
    (await exchange(await createLoginProof(signer, await challenge()))).json.accessToken as string;

  it('requires a token on protected operations', async () => {
    const res = await request(server.url, 'GET', '/v1/contracts');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.json.code).toBe('unauthenticated');
  });

  it('rejects a tampered token, alg none and a token from another server', async () => {
    const token = await tokenFor();
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const elevated = `${h}.${b64({ ...claims, org: '00000000-0000-7000-8000-000000000000' })}.${s}`;
    expect((await request(server.url, 'GET', '/v1/contracts', { token: elevated })).json.code).toBe('invalid_token');
    const none = `${b64({ alg: 'none', typ: 'at+jwt' })}.${p}.`;
    expect((await request(server.url, 'GET', '/v1/contracts', { token: none })).json.code).toBe('invalid_token');
    const other = await startTestServer();
    try {
      const res = await request(other.url, 'GET', '/v1/contracts', { token });
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('invalid_token');
    } finally {
      await other.close();
    }
  });

  it('enforces the permission the spec names for the operation', async () => {
    const token = await tokenFor();
    const principal = server.services.tokens.verify(token);
    // A viewer's session and token, as if an owner had changed this member's role.
    const session = (await server.services.sessions.get(principal.sessionId))!;
    await server.services.sessions.update({ ...session, roles: ['viewer'] });
    const viewer = server.services.tokens.issue({ ...principal, roles: ['viewer'] }).token;
    expect((await request(server.url, 'GET', '/v1/contracts', { token: viewer })).status).toBe(200);
    const res = await request(server.url, 'POST', '/v1/contracts', { token: viewer, body: { title: 'x' } });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({
      code: 'forbidden',
      detail: 'This operation needs the contracts:create permission.',
    });
  });
});

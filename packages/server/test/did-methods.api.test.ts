// Login with did:pkh (Sign-In with Ethereum, verified with viem) and did:web (DID documents fetched over
// HTTPS through SSRF guards). did:web is exercised against a local HTTPS server with a certificate made
// here, trusted and allowed through configuration: nothing leaves the machine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCmsClient,
  createCompactJws,
  createDidProof,
  createLoginProof,
  type DidSigner,
  didKeySigner,
  generateDidKey,
  LOGIN_PROOF_TYPE,
} from '@cms/sdk';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedTestServer, startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { request } from './api-helpers.js';

describe('did:pkh (Sign-In with Ethereum)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await sharedTestServer();
  });
  afterAll(() => server?.close());

  const challenge = async (did: string) =>
    (await request(server.url, 'POST', '/v1/auth/challenge', { body: { did } })).json;
  const exchange = (body: object) => request(server.url, 'POST', '/v1/auth/token', { body });

  it('logs in an Ethereum account through the SDK, as one user per account', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const client = createCmsClient({ baseUrl: server.url });
    const token = await client.auth.login(account);
    expect(token.did).toBe(`did:pkh:eip155:1:${account.address}`);
    const again = await createCmsClient({ baseUrl: server.url }).auth.login(account);
    expect(again.userId).toBe(token.userId);
    const polygon = await createCmsClient({ baseUrl: server.url }).auth.login(account, { chainId: 137 });
    expect(polygon.did).toBe(`did:pkh:eip155:137:${account.address}`);
  });

  it.each([
    ['another domain', { domain: 'evil.example' }, 'The message is for another domain.'],
    ['another URI', { uri: 'https://evil.example/' }, 'The proof is for another audience.'],
    [
      'an expired message',
      { issuedAt: new Date(Date.now() - 900_000), expirationTime: new Date(Date.now() - 600_000) },
      'The proof has expired.',
    ],
    [
      'a future-dated message',
      { issuedAt: new Date(Date.now() + 600_000), expirationTime: new Date(Date.now() + 660_000) },
      'The proof is dated in the future.',
    ],
    ['a message without expiry', { expirationTime: undefined }, 'The message has no Expiration Time.'],
  ])('rejects %s', async (_name, change, detail) => {
    const account = privateKeyToAccount(generatePrivateKey());
    const did = `did:pkh:eip155:1:${account.address}`;
    const c = await challenge(did);
    const message = createSiweMessage({
      address: account.address,
      chainId: 1,
      domain: new URL(c.audience).host,
      uri: c.audience,
      nonce: c.nonce,
      version: '1',
      issuedAt: new Date(),
      expirationTime: new Date(Date.now() + 60_000),
      ...change,
    });
    const res = await exchange({ proof: message, signature: await account.signMessage({ message }) });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ code: 'invalid_proof', detail });
  });

  it('rejects a signature by another account, and a replayed message', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const mallory = privateKeyToAccount(generatePrivateKey());
    const did = `did:pkh:eip155:1:${account.address}`;
    const forged = await createDidProof(account, await challenge(did));
    const res = await exchange({
      proof: forged.proof,
      signature: await mallory.signMessage({ message: forged.proof }),
    });
    expect(res.json).toMatchObject({
      status: 401,
      code: 'invalid_proof',
      detail: 'The signature does not verify with the account.',
    });

    const good = await createDidProof(account, await challenge(did));
    expect((await exchange(good)).status).toBe(200);
    expect((await exchange(good)).json).toMatchObject({ status: 401, code: 'invalid_challenge' });
  });

  it('rejects malformed did:pkh identifiers before issuing a challenge', async () => {
    for (const did of [
      'did:pkh:eip155:1:0x123',
      'did:pkh:bip122:000000000019d6689c085ae165831e93:128Lkh3S7CkDTBZ8W7BbpsN3YYizJMp8p6',
      'did:pkh:eip155:0:0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045',
    ]) {
      const res = await request(server.url, 'POST', '/v1/auth/challenge', { body: { did } });
      expect(res.json, did).toMatchObject({ status: 422, code: 'unsupported_did_method' });
    }
  });
});

describe('did:web', () => {
  let https: Server;
  let port = 0;
  let cert = '';
  let key: Awaited<ReturnType<typeof generateDidKey>>;
  let allowed: TestServer;
  let guarded: TestServer;
  const docs = new Map<string, () => { status?: number; headers?: Record<string, string>; body?: string } | 'hang'>();

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cms-did-web-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    https = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
      const answer = docs.get(req.url ?? '')?.();
      if (answer === 'hang') return;
      if (!answer) return void res.writeHead(404).end();
      res
        .writeHead(answer.status ?? 200, { 'content-type': 'application/did+json', ...answer.headers })
        .end(answer.body);
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    port = (https.address() as AddressInfo).port;
    key = await generateDidKey();
    const didWeb = { enabled: true, ca: cert, timeoutMs: 1000 };
    [allowed, guarded] = await Promise.all([
      startTestServer({ didWeb: { ...didWeb, privateHosts: ['localhost'] } }),
      startTestServer({ didWeb: { ...didWeb, privateHosts: [] } }),
    ]);
  });
  afterAll(async () => {
    https?.closeAllConnections();
    https?.close();
    await Promise.all([allowed?.close(), guarded?.close()]);
  });

  const didAt = (path = '') => `did:web:localhost%3A${port}${path}`;
  const documentFor = (did: string, method: Record<string, unknown>) =>
    JSON.stringify({
      id: did,
      verificationMethod: [{ id: `${did}#key-1`, controller: did, ...method }],
      authentication: ['#key-1'],
    });
  const jwk = () => ({
    type: 'JsonWebKey2020',
    publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.publicKey, 'hex').toString('base64url') },
  });
  const signerFor = async (did: string): Promise<DidSigner> => ({ ...(await didKeySigner(key.privateKey)), did });
  async function login(server: TestServer, did: string, options: { kid?: string } = {}) {
    const c = (await request(server.url, 'POST', '/v1/auth/challenge', { body: { did } })).json;
    const signer = await signerFor(did);
    const now = Math.floor(Date.now() / 1000);
    const proof = options.kid
      ? await createCompactJws({ iss: did, aud: c.audience, nonce: c.nonce, iat: now, exp: now + 60 }, signer, {
          typ: LOGIN_PROOF_TYPE,
          kid: options.kid,
        })
      : await createLoginProof(signer, c);
    return request(server.url, 'POST', '/v1/auth/token', { body: { proof } });
  }

  it('logs in with the Ed25519 key of the DID document (publicKeyJwk, key named by kid)', async () => {
    const did = didAt();
    docs.set('/.well-known/did.json', () => ({ body: documentFor(did, jwk()) }));
    const res = await login(allowed, did, { kid: `${did}#key-1` });
    expect(res.status).toBe(200);
    expect(res.json.did).toBe(did);
  });

  it('resolves path-based DIDs and publicKeyMultibase keys', async () => {
    const did = didAt(':users:alice');
    docs.set('/users/alice/did.json', () => ({
      body: documentFor(did, {
        type: 'Ed25519VerificationKey2020',
        publicKeyMultibase: key.did.slice('did:key:'.length),
      }),
    }));
    expect((await login(allowed, did)).status).toBe(200);
  });

  it('rejects a signature by a key that is not in the document', async () => {
    const did = didAt(':users:bob');
    const other = await generateDidKey();
    docs.set('/users/bob/did.json', () => ({
      body: documentFor(did, { type: 'Multikey', publicKeyMultibase: other.did.slice('did:key:'.length) }),
    }));
    expect((await login(allowed, did)).json).toMatchObject({
      status: 401,
      code: 'invalid_proof',
      detail: 'The signature does not verify with the DID key.',
    });
  });

  it.each([
    [
      'a host that resolves to a loopback address unless allowed',
      'guarded',
      ':guard',
      () => ({ body: '{}' }),
      'resolves to a private or reserved address',
    ],
    [
      'a redirect',
      'allowed',
      ':redirect',
      () => ({ status: 302, headers: { location: 'https://127.0.0.1/' } }),
      'answered HTTP 302 (redirects are not followed)',
    ],
    [
      'a document over the size limit',
      'allowed',
      ':big',
      () => ({ body: `{"pad":"${'x'.repeat(70_000)}"}` }),
      'the response exceeds 65536 bytes',
    ],
    ['a server that does not answer in time', 'allowed', ':slow', () => 'hang' as const, 'no answer within 1000 ms'],
    [
      'a document for another DID',
      'allowed',
      ':other',
      () => ({ body: JSON.stringify({ id: 'did:web:elsewhere.example' }) }),
      'The DID document does not describe this DID.',
    ],
  ])('refuses %s (did_resolution_failed)', async (_name, which, path, answer, detail) => {
    docs.set(`/${path.slice(1)}/did.json`, answer as never);
    const res = await login(which === 'guarded' ? guarded : allowed, didAt(path));
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('did_resolution_failed');
    expect(res.json.detail).toContain(detail);
  });

  it('fetches nothing for a proof that answers no live challenge', async () => {
    let fetched = 0;
    const did = didAt(':nochallenge');
    docs.set('/nochallenge/did.json', () => (fetched++, { body: documentFor(did, jwk()) }));
    const now = Math.floor(Date.now() / 1000);
    const proof = await createCompactJws(
      { iss: did, aud: allowed.url, nonce: 'made-up', exp: now + 60 },
      await signerFor(did),
      { typ: LOGIN_PROOF_TYPE },
    );
    const res = await request(allowed.url, 'POST', '/v1/auth/token', { body: { proof } });
    expect(res.json.code).toBe('invalid_challenge');
    expect(fetched).toBe(0);
  });
});

// Sessions, rotating refresh tokens, logout, JWKS and signing-key rotation, and the access-token
// checks RFC 8725 asks for, against a real server.
import { createHmac } from 'node:crypto';
import { CmsAuthenticationError, createCmsClient } from '@cms/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
const refresh = (refreshToken: string, organizationId?: string) =>
  request(server.url, 'POST', '/v1/auth/refresh', {
    body: { refreshToken, ...(organizationId ? { organizationId } : {}) },
  });
const me = (token: string) => request(server.url, 'GET', '/v1/me', { token });

describe('session store', () => {
  it('is Redis when the suite provides one (integration), the in-process store otherwise', () => {
    expect(server.services.store.kind).toBe(process.env.CMS_TEST_REDIS_URL ? 'redis' : 'memory');
  });
});

describe('refresh tokens', () => {
  it('rotate: each refresh answers a new pair and uses up the presented token', async () => {
    const { token } = await loggedInClient(server.url);
    expect(token).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      roles: ['owner'],
      refreshToken: expect.stringMatching(/^cmsr_/),
    });
    expect(Date.parse(token.refreshExpiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const first = await refresh(token.refreshToken);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      sessionId: token.sessionId,
      userId: token.userId,
      organizationId: token.organizationId,
      refreshExpiresAt: token.refreshExpiresAt,
    });
    expect(first.json.refreshToken).not.toBe(token.refreshToken);
    expect((await me(first.json.accessToken)).status).toBe(200);
    const second = await refresh(first.json.refreshToken);
    expect(second.status).toBe(200);
  });

  it('presented again within the reuse grace (a retry of a lost response): the same new refresh token, not a revocation', async () => {
    const { token } = await loggedInClient(server.url);
    const next = await refresh(token.refreshToken);
    const retried = await refresh(token.refreshToken);
    expect(retried.status).toBe(200);
    expect(retried.json).toMatchObject({ sessionId: token.sessionId, refreshToken: next.json.refreshToken });
    expect((await me(retried.json.accessToken)).status).toBe(200);
    expect((await refresh(next.json.refreshToken)).status).toBe(200);
  });

  it('used again after its successor was used: 401 refresh_token_reused, and the whole session (every token of the family) is revoked', async () => {
    const { token } = await loggedInClient(server.url);
    const next = await refresh(token.refreshToken);
    expect(next.status).toBe(200);
    const newest = await refresh(next.json.refreshToken);
    expect(newest.status).toBe(200);
    const replay = await refresh(token.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.json).toMatchObject({
      code: 'refresh_token_reused',
      detail: 'This refresh token was already used; the session has been revoked. Log in again.',
    });
    // The legitimate holder's newer tokens died with the family.
    expect((await refresh(newest.json.refreshToken)).json.code).toBe('invalid_refresh_token');
    const rejected = await me(newest.json.accessToken);
    expect(rejected.status).toBe(401);
    expect(rejected.json).toMatchObject({ code: 'invalid_token', detail: 'The session has ended; log in again.' });
  });

  it('used again after the reuse grace: revoked', async () => {
    const graceful = await startTestServer({ refreshReuseGraceSeconds: 1 });
    try {
      const { token } = await loggedInClient(graceful.url);
      const post = (refreshToken: string) =>
        request(graceful.url, 'POST', '/v1/auth/refresh', { body: { refreshToken } });
      const next = await post(token.refreshToken);
      expect(next.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect((await post(token.refreshToken)).json).toMatchObject({ status: 401, code: 'refresh_token_reused' });
      expect((await post(next.json.refreshToken)).json.code).toBe('invalid_refresh_token');
    } finally {
      await graceful.close();
    }
  });

  it('rejects unknown and malformed refresh tokens without touching any session', async () => {
    expect((await refresh('cmsr_nope')).json).toMatchObject({ status: 401, code: 'invalid_refresh_token' });
    expect((await refresh('eyJhbGciOi.x.y')).json.code).toBe('invalid_refresh_token');
  });

  it('rotates once for concurrent refreshes with the same token: both get the same new refresh token', async () => {
    const { token } = await loggedInClient(server.url);
    const results = await Promise.all([refresh(token.refreshToken), refresh(token.refreshToken)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results[0]!.json.refreshToken).toBe(results[1]!.json.refreshToken);
  });

  it('with the reuse grace off, lets only one of two concurrent refreshes with the same token win', async () => {
    const strict = await startTestServer({ refreshReuseGraceSeconds: 0 });
    try {
      const { token } = await loggedInClient(strict.url);
      const post = () =>
        request(strict.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: token.refreshToken } });
      const results = await Promise.all([post(), post()]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    } finally {
      await strict.close();
    }
  });
});

describe('logout and sessions', () => {
  it('logout revokes the session: its access and refresh tokens stop working at once', async () => {
    const { client, token } = await loggedInClient(server.url);
    await client.auth.logout();
    expect(client.auth.accessToken).toBeUndefined();
    expect((await me(token.accessToken)).json).toMatchObject({ status: 401, code: 'invalid_token' });
    expect((await refresh(token.refreshToken)).json.code).toBe('invalid_refresh_token');
  });

  it('lists my sessions and revokes one of them, but not someone else’s', async () => {
    const { client, signer } = await loggedInClient(server.url);
    const laptop = createCmsClient({ baseUrl: server.url });
    const laptopToken = await laptop.auth.login(signer);
    const sessions = await client.sessions.list();
    expect(sessions).toHaveLength(2);
    expect(sessions.find((s) => s.current)?.id).not.toBe(laptopToken.sessionId);
    expect(sessions.find((s) => !s.current)).toMatchObject({
      id: laptopToken.sessionId,
      did: signer.did,
      lastRefreshedAt: null,
    });

    const mallory = await loggedInClient(server.url);
    const foreign = await request(server.url, 'DELETE', `/v1/auth/sessions/${laptopToken.sessionId}`, {
      token: mallory.token.accessToken,
    });
    expect(foreign.json).toMatchObject({ status: 404, code: 'not_found' });

    await client.sessions.revoke(laptopToken.sessionId);
    expect((await me(laptopToken.accessToken)).status).toBe(401);
    expect((await client.sessions.list()).map((s) => s.id)).toEqual([sessions.find((s) => s.current)!.id]);
  });
});

describe('the SDK', () => {
  it('refreshes once and retries when the access token is rejected, reporting the new pair', async () => {
    const owner = await loggedInClient(server.url);
    const orgId = owner.token.organizationId;
    const { signer } = await loggedInClient(server.url);
    const seen: (string | undefined)[] = [];
    const client = createCmsClient({ baseUrl: server.url, onTokens: (t) => seen.push(t?.refreshToken) });
    await client.auth.login(signer);
    const invitation = await owner.client.invitations.create(orgId, { did: signer.did, role: 'member' });
    await client.invitations.accept(invitation.id, signer);
    const inOrg = await client.auth.refresh({ organizationId: orgId });
    expect(inOrg.roles).toEqual(['member']);
    // An owner promotes the member: the member's access token is refused until refreshed, which the SDK does.
    await owner.client.members.setRole(orgId, inOrg.userId, 'admin');
    expect((await me(inOrg.accessToken)).json).toMatchObject({
      code: 'invalid_token',
      detail: 'Your roles have changed; refresh the access token.',
    });
    const result = await client.me.get();
    expect(result).toMatchObject({ organizationId: orgId, roles: ['admin'] });
    expect(seen).toHaveLength(3);
    expect(seen[2]).toBe(client.auth.refreshToken);
    expect(new Set(seen).size).toBe(3);
  });

  it('gives up with an authentication error when the session is gone', async () => {
    const { client, token } = await loggedInClient(server.url);
    await server.services.sessions.revoke(token.sessionId);
    const error = await client.me.get().catch((e) => e);
    expect(error).toBeInstanceOf(CmsAuthenticationError);
    expect(client.auth.refreshToken).toBeUndefined();
  });
});

describe('access tokens (RFC 8725)', () => {
  const withHeader = (token: string, header: object) => {
    const [, p, s] = token.split('.');
    return `${b64(header)}.${p}.${s}`;
  };

  it('carry iss, aud, sub, did, org, roles, sid, exp, kid and typ at+jwt', async () => {
    const { token } = await loggedInClient(server.url);
    const [h, p] = token.accessToken.split('.') as [string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(header).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: server.services.keys.current().kid });
    expect(claims).toMatchObject({
      iss: server.url,
      aud: server.url,
      sub: token.userId,
      did: token.did,
      org: token.organizationId,
      roles: ['owner'],
      sid: token.sessionId,
    });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('rejects alg none, HS256 keyed with the public key, a wrong typ, and unknown header parameters', async () => {
    const { token } = await loggedInClient(server.url);
    const [h, p] = token.accessToken.split('.') as [string, string];
    const kid = JSON.parse(Buffer.from(h, 'base64url').toString()).kid;
    const none = `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${p}.`;
    expect((await me(none)).json).toMatchObject({ code: 'invalid_token', detail: 'Algorithm "none" is not accepted.' });
    // Algorithm confusion: an HMAC keyed with the server's public key must not verify.
    const jwk = server.services.keys.jwks()[0]!;
    const hsHead = b64({ alg: 'HS256', typ: 'at+jwt', kid });
    const hs = `${hsHead}.${p}.${createHmac('sha256', Buffer.from(jwk.x, 'base64url')).update(`${hsHead}.${p}`).digest('base64url')}`;
    expect((await me(hs)).json).toMatchObject({
      status: 401,
      code: 'invalid_token',
      detail: 'Algorithm "HS256" is not accepted.',
    });
    expect((await me(withHeader(token.accessToken, { alg: 'EdDSA', typ: 'JWT', kid }))).json).toMatchObject({
      code: 'invalid_token',
      detail: "The token's typ must be at+jwt.",
    });
    expect(
      (await me(withHeader(token.accessToken, { alg: 'EdDSA', typ: 'at+jwt', kid, jku: 'https://evil.example/jwks' })))
        .json.detail,
    ).toBe('The access token has unsupported header parameters.');
  });

  it('rejects an expired token, one not valid yet, and one signed for another audience', async () => {
    const { token } = await loggedInClient(server.url);
    const principal = server.services.tokens.verify(token.accessToken);
    const { createAccessTokenIssuer } = await import('../src/auth/access-token.js');
    const at = (offsetSeconds: number, issuer = server.url) =>
      createAccessTokenIssuer({
        keys: server.services.keys,
        issuer,
        ttlSeconds: 900,
        now: () => Date.now() + offsetSeconds * 1000,
      }).issue(principal).token;
    expect((await me(at(-3600))).json).toMatchObject({
      code: 'invalid_token',
      detail: 'The access token has expired.',
    });
    expect((await me(at(600))).json).toMatchObject({
      code: 'invalid_token',
      detail: 'The access token is not valid yet.',
    });
    expect((await me(at(0, 'https://other.example'))).json).toMatchObject({
      code: 'invalid_token',
      detail: 'The access token is for another server.',
    });
    expect((await me(at(0))).status).toBe(200);
  });
});

describe('signing keys', () => {
  it('publishes the JWKS, and rotation keeps earlier tokens valid while new ones use the new key', async () => {
    const before = await request(server.url, 'GET', '/.well-known/jwks.json');
    expect(before.status).toBe(200);
    expect(before.headers.get('cache-control')).toBe('public, max-age=300');
    expect(before.json.keys).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.any(String),
        kid: server.services.keys.current().kid,
        alg: 'EdDSA',
        use: 'sig',
      },
    ]);

    const { client, token } = await loggedInClient(server.url);
    const oldKid = server.services.keys.current().kid;
    const newKid = server.services.keys.rotate().kid;
    expect((await me(token.accessToken)).status).toBe(200);
    const after = await request(server.url, 'GET', '/.well-known/jwks.json');
    expect(after.json.keys.map((k: { kid: string }) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    const refreshed = await client.auth.refresh();
    expect(JSON.parse(Buffer.from(refreshed.accessToken.split('.')[0]!, 'base64url').toString()).kid).toBe(newKid);
  });
});

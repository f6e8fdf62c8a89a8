// Logging in and out through the SDK against a real server: did:key and did:pkh, refresh (explicit,
// on expiry, single use), sessions, token storage that survives the client, logout.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmsAuthenticationError, createCmsClient, didKeySigner, fileTokenStorage, generateDidKey } from '@cms/sdk';
import { sharedTestServer, startTestServer, type TestServer } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { didKeyUser, errorOf, ethereumUser } from './users.js';

let server: TestServer;
let scratch: string;
beforeAll(async () => {
  server = await sharedTestServer();
  scratch = await mkdtemp(join(tmpdir(), 'cms-sdk-tests-'));
});
afterAll(async () => {
  await server?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('login', () => {
  it('logs in with an Ed25519 did:key signer', async () => {
    const key = await generateDidKey();
    const client = createCmsClient({ baseUrl: server.url });
    const token = await client.auth.login(await didKeySigner(key.privateKey));
    expect(token).toMatchObject({ tokenType: 'Bearer', did: key.did, roles: ['owner'] });
    expect(client.auth.accessToken).toBe(token.accessToken);
    expect(await client.me.get()).toMatchObject({ did: key.did, kind: 'person' });
  });

  it('logs in with a viem account as did:pkh (Sign-In with Ethereum)', async () => {
    const user = await ethereumUser(server.url);
    expect(user.did).toBe(`did:pkh:eip155:1:${user.account.address}`);
    expect((await user.client.me.get()).did).toBe(user.did);
  });
});

describe('refresh', () => {
  it('rotates the pair; the old refresh token is single use and its reuse ends the session', async () => {
    const user = await didKeyUser(server.url);
    const first = user.client.auth.refreshToken!;
    const second = await user.client.auth.refresh();
    expect(second.refreshToken).not.toBe(first);
    expect((await user.client.me.get()).did).toBe(user.did);
    // Past the reuse grace of `first` (a retry of a lost response): its successor has been used.
    await user.client.auth.refresh();

    const replay = createCmsClient({ baseUrl: server.url, refreshToken: first });
    expect(await errorOf(replay.auth.refresh())).toMatchObject({
      name: 'CmsAuthenticationError',
      status: 401,
      code: 'refresh_token_reused',
    });
    expect(await errorOf(user.client.auth.refresh())).toMatchObject({ status: 401 });
    expect(user.client.auth.accessToken).toBeUndefined();
  });

  it('refreshes by itself shortly before the access token expires', async () => {
    // Access tokens that live 30 s: always inside the client's one-minute refresh window.
    const shortLived = await startTestServer({ accessTokenTtlSeconds: 30 });
    try {
      const reported: (string | undefined)[] = [];
      const key = await generateDidKey();
      const client = createCmsClient({ baseUrl: shortLived.url, onTokens: (t) => reported.push(t?.refreshToken) });
      const login = await client.auth.login(await didKeySigner(key.privateKey));
      expect((await client.me.get()).did).toBe(key.did);
      expect(reported).toHaveLength(2);
      expect(client.auth.refreshToken).not.toBe(login.refreshToken);
    } finally {
      await shortLived.close();
    }
  });

  it('refreshes and retries when the server rejects the access token', async () => {
    const user = await didKeyUser(server.url);
    const stale = createCmsClient({
      baseUrl: server.url,
      accessToken: 'not-a-token',
      refreshToken: user.client.auth.refreshToken,
    });
    expect((await stale.me.get()).did).toBe(user.did);
    expect(stale.auth.accessToken).not.toBe('not-a-token');
  });
});

describe('sessions and logout', () => {
  it('lists the sessions, revokes another one, and logout ends this one on the server', async () => {
    const user = await didKeyUser(server.url);
    const laptop = createCmsClient({ baseUrl: server.url });
    await laptop.auth.login(user.signer);
    const sessions = await user.client.sessions.list();
    expect(sessions).toHaveLength(2);
    const other = sessions.find((s) => !s.current)!;
    await user.client.sessions.revoke(other.id);
    expect(await errorOf(laptop.me.get())).toMatchObject({ status: 401 });
    expect((await user.client.sessions.list()).map((s) => s.current)).toEqual([true]);

    const token = user.client.auth.accessToken!;
    await user.client.auth.logout();
    expect(user.client.auth.accessToken).toBeUndefined();
    const withOldToken = createCmsClient({ baseUrl: server.url, accessToken: token });
    expect(await errorOf(withOldToken.me.get())).toMatchObject({
      name: 'CmsAuthenticationError',
      status: 401,
      code: 'invalid_token',
    });
  });

  it('keeps the login in a 0600 file that another client picks up, and logout deletes it', async () => {
    const path = join(scratch, 'token.json');
    const key = await generateDidKey();
    const first = createCmsClient({ baseUrl: server.url, tokenStorage: fileTokenStorage(path) });
    await first.auth.login(await didKeySigner(key.privateKey));
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const later = createCmsClient({ baseUrl: server.url, tokenStorage: fileTokenStorage(path) });
    expect((await later.me.get()).did).toBe(key.did);
    await later.auth.logout();
    expect(await errorOf(stat(path))).toMatchObject({ code: 'ENOENT' });
    expect(await errorOf(first.me.get())).toMatchObject({ status: 401 });
  });
});

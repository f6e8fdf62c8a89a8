// Transport behaviour of the client's tokens (msw): one refresh-and-retry on invalid_token, shared by
// concurrent requests; no retry for other 401s; logout forgets tokens even when the server is down.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCmsClient } from '../client.js';
import { CmsAuthenticationError } from '../errors.js';
import type { AuthToken, TokenStorage } from './token-storage.js';

const api = setupServer();
beforeAll(() => api.listen({ onUnhandledRequest: 'error' }));
afterEach(() => api.resetHandlers());
afterAll(() => api.close());

const problem = (code: string) =>
  HttpResponse.json(
    { type: `urn:cms:problem:${code}`, title: 'x', status: 401, code },
    { status: 401, headers: { 'content-type': 'application/problem+json' } },
  );
const token = (n: number) => ({
  accessToken: `access-${n}`,
  tokenType: 'Bearer',
  expiresIn: 900,
  refreshToken: `cmsr_${n}`,
  refreshExpiresAt: '2030-01-01T00:00:00.000Z',
  sessionId: '0190f2a0-0000-7000-8000-000000000001',
  did: 'did:key:z6Mk',
  userId: '0190f2a0-0000-7000-8000-000000000002',
  organizationId: '0190f2a0-0000-7000-8000-000000000003',
  roles: ['owner'],
});
const me = {
  status: 'ok',
  version: '1',
  database: { engine: 'pglite' },
  chain: { mode: 'disabled', chainId: null, ledgerAddress: null },
};

describe('refresh on invalid_token', () => {
  it('refreshes once for concurrent rejected requests, retries each with the new token, and reports the pair', async () => {
    let refreshes = 0;
    const seen: string[] = [];
    api.use(
      http.get('http://cms.test/v1/status', ({ request }) => {
        const auth = request.headers.get('authorization')!;
        seen.push(auth);
        return auth === 'Bearer access-2' ? HttpResponse.json(me) : problem('invalid_token');
      }),
      http.post('http://cms.test/v1/auth/refresh', async ({ request }) => {
        refreshes++;
        expect(await request.json()).toEqual({ refreshToken: 'cmsr_1' });
        return HttpResponse.json(token(2));
      }),
    );
    const reported: (string | undefined)[] = [];
    const client = createCmsClient({
      baseUrl: 'http://cms.test',
      accessToken: 'access-1',
      refreshToken: 'cmsr_1',
      onTokens: (t) => reported.push(t?.refreshToken),
    });
    await Promise.all([client.status(), client.status(), client.status()]);
    expect(refreshes).toBe(1);
    expect(seen.filter((a) => a === 'Bearer access-2')).toHaveLength(3);
    expect(reported).toEqual(['cmsr_2']);
    expect(client.auth).toMatchObject({ accessToken: 'access-2', refreshToken: 'cmsr_2' });
  });

  it('does not refresh for a missing token, nor without a refresh token, and ends the session when refresh fails', async () => {
    let refreshes = 0;
    api.use(
      http.get('http://cms.test/v1/status', () => problem('invalid_token')),
      http.post('http://cms.test/v1/auth/refresh', () => (refreshes++, problem('refresh_token_reused'))),
    );
    const noRefresh = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'access-1' });
    expect(await noRefresh.status().catch((e) => e)).toBeInstanceOf(CmsAuthenticationError);
    expect(refreshes).toBe(0);

    const reported: unknown[] = [];
    const client = createCmsClient({
      baseUrl: 'http://cms.test',
      accessToken: 'a',
      refreshToken: 'cmsr_1',
      onTokens: (t) => reported.push(t),
    });
    const error = await client.status().catch((e) => e);
    expect(error).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(refreshes).toBe(1);
    expect(reported).toEqual([undefined]);
    expect(client.auth.refreshToken).toBeUndefined();
  });
});

describe('refresh', () => {
  it('keeps the tokens when the server cannot be reached', async () => {
    api.use(http.post('http://cms.test/v1/auth/refresh', () => HttpResponse.error()));
    const client = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'a', refreshToken: 'cmsr_1' });
    expect(await client.auth.refresh({ maxRetries: 0 }).catch((e) => e)).toMatchObject({ name: 'CmsConnectionError' });
    expect(client.auth.refreshToken).toBe('cmsr_1');
  });

  it('retries a refresh whose response was lost, presenting the same refresh token (the server replays its answer)', async () => {
    const presented: unknown[] = [];
    api.use(
      http.post('http://cms.test/v1/auth/refresh', async ({ request }) => {
        presented.push(await request.json());
        return presented.length === 1 ? HttpResponse.error() : HttpResponse.json(token(2));
      }),
    );
    const client = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'a', refreshToken: 'cmsr_1' });
    expect(await client.auth.refresh()).toMatchObject({ refreshToken: 'cmsr_2' });
    expect(presented).toEqual([{ refreshToken: 'cmsr_1' }, { refreshToken: 'cmsr_1' }]);
    expect(client.auth).toMatchObject({ accessToken: 'access-2', refreshToken: 'cmsr_2' });
  });
});

describe('logout', () => {
  it('forgets the tokens at once and revokes the session with the token it had', async () => {
    let revokedWith: string | null = null;
    api.use(
      http.post(
        'http://cms.test/v1/auth/logout',
        ({ request }) => (
          (revokedWith = request.headers.get('authorization')), new HttpResponse(null, { status: 204 })
        ),
      ),
    );
    const client = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'access-1', refreshToken: 'cmsr_1' });
    const done = client.auth.logout();
    expect(client.auth.accessToken).toBeUndefined();
    await done;
    expect(revokedWith).toBe('Bearer access-1');
  });

  it('still logs out locally when the server cannot be reached', async () => {
    api.use(http.post('http://cms.test/v1/auth/logout', () => HttpResponse.error()));
    const client = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'access-1' });
    await client.auth.logout();
    expect(client.auth.accessToken).toBeUndefined();
  });
});

/** An unsigned JWT with this `exp` (the SDK reads it to know when to refresh; the server verifies tokens). */
const jwtExpiringAt = (exp: number, n: number) =>
  `e30.${Buffer.from(JSON.stringify({ exp, n })).toString('base64url')}.sig`;

describe('proactive refresh', () => {
  it('refreshes before a request when the access token expires within a minute, once for concurrent requests', async () => {
    const soon = jwtExpiringAt(Math.floor(Date.now() / 1000) + 30, 1);
    const fresh = jwtExpiringAt(Math.floor(Date.now() / 1000) + 900, 2);
    let refreshes = 0;
    const seen: string[] = [];
    api.use(
      http.get(
        'http://cms.test/v1/status',
        ({ request }) => (seen.push(request.headers.get('authorization')!), HttpResponse.json(me)),
      ),
      http.post(
        'http://cms.test/v1/auth/refresh',
        () => (refreshes++, HttpResponse.json({ ...token(2), accessToken: fresh })),
      ),
    );
    const client = createCmsClient({ baseUrl: 'http://cms.test', accessToken: soon, refreshToken: 'cmsr_1' });
    await Promise.all([client.status(), client.status()]);
    expect(refreshes).toBe(1);
    expect(seen).toEqual([`Bearer ${fresh}`, `Bearer ${fresh}`]);
  });

  it('does not refresh a token with time left', async () => {
    const later = jwtExpiringAt(Math.floor(Date.now() / 1000) + 600, 1);
    let refreshes = 0;
    api.use(
      http.get('http://cms.test/v1/status', () => HttpResponse.json(me)),
      http.post('http://cms.test/v1/auth/refresh', () => (refreshes++, HttpResponse.json(token(2)))),
    );
    await createCmsClient({ baseUrl: 'http://cms.test', accessToken: later, refreshToken: 'cmsr_1' }).status();
    expect(refreshes).toBe(0);
  });
});

describe('token storage', () => {
  it('starts from the stored tokens, stores every refreshed pair, and is cleared by logout', async () => {
    const writes: (string | undefined)[] = [];
    let stored: ReturnType<typeof token> | undefined = token(1);
    const storage: TokenStorage = {
      get: async () => stored as AuthToken | undefined,
      set: async (t) => void ((stored = t as typeof stored), writes.push(t?.refreshToken)),
    };
    api.use(
      http.get('http://cms.test/v1/status', ({ request }) =>
        request.headers.get('authorization') === 'Bearer access-2' ? HttpResponse.json(me) : problem('invalid_token'),
      ),
      http.post('http://cms.test/v1/auth/refresh', async ({ request }) => {
        expect(await request.json()).toEqual({ refreshToken: 'cmsr_1' });
        return HttpResponse.json(token(2));
      }),
      http.post('http://cms.test/v1/auth/logout', () => new HttpResponse(null, { status: 204 })),
    );
    const client = createCmsClient({ baseUrl: 'http://cms.test', tokenStorage: storage });
    await client.status();
    expect(writes).toEqual(['cmsr_2']);
    expect(client.auth.refreshToken).toBe('cmsr_2');
    await client.auth.logout();
    expect(writes).toEqual(['cmsr_2', undefined]);
    expect(stored).toBeUndefined();
  });

  it('retries a refresh answered 503 within its budget, and keeps the tokens when the budget runs out', async () => {
    let refreshes = 0;
    api.use(http.post('http://cms.test/v1/auth/refresh', () => (refreshes++, new HttpResponse(null, { status: 503 }))));
    const client = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'a', refreshToken: 'cmsr_1' });
    expect(await client.auth.refresh({ maxRetries: 1 }).catch((e) => e)).toMatchObject({ status: 503 });
    expect(refreshes).toBe(2);
    expect(client.auth.refreshToken).toBe('cmsr_1');
  });
});

describe('a call rejected after another call refreshed', () => {
  it('retries with the newer token without spending another refresh token', async () => {
    let refreshes = 0;
    let releaseSlow: () => void = () => undefined;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    api.use(
      http.get('http://cms.test/v1/me', async ({ request }) => {
        // The slow call was sent with the old token and is answered only after the other call refreshed.
        await slowGate;
        return request.headers.get('authorization') === 'Bearer access-2'
          ? HttpResponse.json(me)
          : problem('invalid_token');
      }),
      http.get('http://cms.test/v1/status', ({ request }) =>
        request.headers.get('authorization') === 'Bearer access-2' ? HttpResponse.json(me) : problem('invalid_token'),
      ),
      http.post('http://cms.test/v1/auth/refresh', () => (refreshes++, HttpResponse.json(token(2 + refreshes - 1)))),
    );
    const client = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'access-1', refreshToken: 'cmsr_1' });
    const slow = client.me.get();
    await client.status();
    releaseSlow();
    expect(await slow).toEqual(me);
    expect(refreshes).toBe(1);
  });
});

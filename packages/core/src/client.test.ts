import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCmsClient } from './client.js';
import { CmsConnectionError, CmsNotFoundError, CmsRateLimitError } from './errors.js';
import { SDK_VERSION } from './version.js';

const api = setupServer();
beforeAll(() => api.listen({ onUnhandledRequest: 'error' }));
afterEach(() => api.resetHandlers());
afterAll(() => api.close());

describe('createCmsClient', () => {
  it('rejects unknown options and non-http base URLs', () => {
    expect(() => createCmsClient({ baseUrl: 'http://x', retries: 3 } as never)).toThrow('unknown option(s) retries');
    expect(() => createCmsClient({ baseUrl: 'localhost:8080' })).toThrow('baseUrl must be an http(s) URL');
  });

  it('sends the access token and turns problems into typed errors with the request id', async () => {
    let auth: string | null = null;
    api.use(
      http.get('http://cms.test/v1/contracts/:id', ({ request }) => {
        auth = request.headers.get('authorization');
        return HttpResponse.json(
          { type: 'urn:cms:problem:not_found', title: 'The resource does not exist.', status: 404, code: 'not_found' },
          { status: 404, headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req-42' } },
        );
      }),
    );
    const client = createCmsClient({ baseUrl: 'http://cms.test/', accessToken: 'tok' });
    const error = await client.contracts.get('0190f2a0-0000-7000-8000-000000000000').catch((e) => e);
    expect(auth).toBe('Bearer tok');
    expect(error).toBeInstanceOf(CmsNotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'not_found', requestId: 'req-42' });
  });

  it('reports an unreachable server as a connection error without leaking the token', async () => {
    api.use(http.get('http://cms.test/v1/status', () => HttpResponse.error()));
    const client = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'secret-token', maxRetries: 0 });
    const error = await client.status().catch((e) => e);
    expect(error).toBeInstanceOf(CmsConnectionError);
    expect(error.message).toBe('Could not reach the CMS server at http://cms.test');
    expect(error.message).not.toContain('secret-token');
  });
});

const contract = (id: string) => ({ id, title: `Contract ${id}` });
const created = () => HttpResponse.json(contract('c1'), { status: 201 });
const unavailable = () => new HttpResponse(null, { status: 503, headers: { 'retry-after': '0' } });

describe('idempotency keys', () => {
  it('gives every write its own key, reused by all of its retries, and none to reads', async () => {
    const keys: (string | null)[] = [];
    let attempts = 0;
    api.use(
      http.post('http://cms.test/v1/contracts', ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        return ++attempts % 3 === 0 ? created() : unavailable();
      }),
      http.get('http://cms.test/v1/status', ({ request }) =>
        HttpResponse.json({ key: request.headers.get('idempotency-key') }),
      ),
    );
    const client = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 't' });
    await client.contracts.create({ title: 'A' } as never);
    await client.contracts.create({ title: 'B' } as never);
    expect(keys).toHaveLength(6);
    expect(new Set(keys.slice(0, 3)).size).toBe(1);
    expect(new Set(keys.slice(3)).size).toBe(1);
    expect(keys[0]).not.toBe(keys[3]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(await client.status()).toEqual({ key: null });
  });

  it("sends the caller's key and headers, and honours a per-call maxRetries", async () => {
    const seen: Request[] = [];
    api.use(http.post('http://cms.test/v1/contracts', ({ request }) => (seen.push(request), unavailable())));
    const client = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 't' });
    const error = await client.contracts
      .create({ title: 'A' } as never, { idempotencyKey: 'order-42', maxRetries: 0, headers: { 'x-trace': 'abc' } })
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'CmsApiError', status: 503 });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.get('idempotency-key')).toBe('order-42');
    expect(seen[0]!.headers.get('x-trace')).toBe('abc');
  });
});

describe('transport options', () => {
  it('rejects a negative or fractional maxRetries and a timeoutMs that is not a positive integer', () => {
    expect(() => createCmsClient({ baseUrl: 'http://x', maxRetries: -1 })).toThrow(
      'maxRetries must be a non-negative integer',
    );
    expect(() => createCmsClient({ baseUrl: 'http://x', timeoutMs: 1.5 })).toThrow(
      'timeoutMs must be a positive integer (milliseconds)',
    );
    expect(() => createCmsClient({ baseUrl: 'http://x', timeoutMs: 0 })).toThrow(
      'timeoutMs must be a positive integer (milliseconds)',
    );
    expect(() => createCmsClient({ baseUrl: 'http://x', maxRetries: 0 })).not.toThrow();
  });

  it('exposes Retry-After of a 429 on CmsRateLimitError once retries are used up', async () => {
    let attempts = 0;
    api.use(
      http.get('http://cms.test/v1/status', () => {
        attempts++;
        return HttpResponse.json(
          { type: 'urn:cms:problem:rate_limited', title: 'Slow down.', status: 429, code: 'rate_limited' },
          { status: 429, headers: { 'retry-after': '7', 'x-request-id': 'req-7' } },
        );
      }),
    );
    const error = await createCmsClient({ baseUrl: 'http://cms.test', maxRetries: 0 })
      .status()
      .catch((e) => e);
    expect(error).toBeInstanceOf(CmsRateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterSeconds: 7, requestId: 'req-7' });
    expect(attempts).toBe(1);
  });

  it('identifies the SDK and the Node version in X-Cms-Client', async () => {
    let header: string | null = null;
    api.use(
      http.get(
        'http://cms.test/v1/status',
        ({ request }) => ((header = request.headers.get('x-cms-client')), HttpResponse.json({})),
      ),
    );
    await createCmsClient({ baseUrl: 'http://cms.test' }).status();
    expect(header).toBe(`cms-sdk/${SDK_VERSION} node/${process.versions.node}`);
  });

  it('aborts a call through its signal', async () => {
    let attempts = 0;
    api.use(http.get('http://cms.test/v1/contracts/:id', () => (attempts++, HttpResponse.json(contract('c1')))));
    const error = await createCmsClient({ baseUrl: 'http://cms.test' })
      .contracts.get('c1', { signal: AbortSignal.abort() })
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(attempts).toBe(0);
  });
});

describe('contracts.list', () => {
  const pages: Record<string, { data: { id: string }[]; nextCursor: string | null }> = {
    start: { data: [contract('c1'), contract('c2')], nextCursor: 'p2' },
    p2: { data: [contract('c3'), contract('c4')], nextCursor: 'p3' },
    p3: { data: [contract('c5')], nextCursor: null },
  };
  const queries: URLSearchParams[] = [];
  const servePages = () =>
    api.use(
      http.get('http://cms.test/v1/contracts', ({ request }) => {
        const query = new URL(request.url).searchParams;
        queries.push(query);
        return HttpResponse.json(pages[query.get('cursor') ?? 'start']);
      }),
    );

  it('awaited, answers the first page', async () => {
    servePages();
    const page = await createCmsClient({ baseUrl: 'http://cms.test' }).contracts.list({ status: 'draft' });
    expect(page).toEqual(pages.start);
  });

  it('iterated, walks every page by its cursor, keeping the filters', async () => {
    servePages();
    queries.length = 0;
    const ids: string[] = [];
    for await (const c of createCmsClient({ baseUrl: 'http://cms.test' }).contracts.list({ status: 'draft', limit: 2 }))
      ids.push(c.id);
    expect(ids).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(queries.map((q) => [q.get('cursor'), q.get('status'), q.get('limit')])).toEqual([
      [null, 'draft', '2'],
      ['p2', 'draft', '2'],
      ['p3', 'draft', '2'],
    ]);
  });

  it('toArray stops fetching at its limit; listAll is the same iteration', async () => {
    servePages();
    queries.length = 0;
    const client = createCmsClient({ baseUrl: 'http://cms.test' });
    expect((await client.contracts.list().toArray({ limit: 3 })).map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);
    expect(queries).toHaveLength(2);
    const all: string[] = [];
    for await (const c of client.contracts.listAll()) all.push(c.id);
    expect(all).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
  });
});

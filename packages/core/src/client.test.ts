import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCmsClient } from './client.js';
import { CmsConnectionError, CmsNotFoundError } from './errors.js';

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
    const client = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'secret-token' });
    const error = await client.status().catch((e) => e);
    expect(error).toBeInstanceOf(CmsConnectionError);
    expect(error.message).toBe('Could not reach the CMS server at http://cms.test');
    expect(error.message).not.toContain('secret-token');
  });
});

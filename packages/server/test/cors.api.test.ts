// What a browser page on another origin relies on (the browser-signing example runs the same flow
// same-origin in real Chromium): `CMS_CORS_ORIGINS` origins pass the preflight of the SDK's calls and may
// read the answers; any other origin gets no CORS headers, so the browser withholds the response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessFetch, startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { type ApiTarget, loggedInClient } from './api-helpers.js';

const PAGE = 'http://page.example:5173';
let server: TestServer;
let api: { url: string; fetch: typeof fetch } & ApiTarget;

beforeAll(async () => {
  server = await startTestServer({ corsOrigins: [PAGE] });
  api = { url: server.url, fetch: inProcessFetch(server) };
});
afterAll(() => server?.close());

const preflight = (origin: string, method: string, headers: string) =>
  api.fetch(`${api.url}/v1/contracts`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

describe('CORS for configured origins', () => {
  it('a configured origin passes the preflight of an authenticated JSON write with an idempotency key', async () => {
    const res = await preflight(PAGE, 'POST', 'authorization,content-type,idempotency-key');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(res.headers.get('access-control-allow-methods')?.split(',')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']),
    );
    expect(res.headers.get('access-control-max-age')).toBe('600');
  });

  it('a configured origin reads answers, with the headers the SDK needs exposed', async () => {
    const { client } = await loggedInClient(api);
    const res = await api.fetch(`${api.url}/v1/contracts`, {
      headers: { origin: PAGE, authorization: `Bearer ${client.auth.accessToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(res.headers.get('access-control-expose-headers')?.toLowerCase().split(',')).toEqual(
      expect.arrayContaining(['x-request-id', 'etag', 'retry-after']),
    );
  });

  it('another origin gets no CORS headers, on the preflight or the answer', async () => {
    const other = 'http://evil.example';
    const pre = await preflight(other, 'POST', 'authorization,content-type');
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await api.fetch(`${api.url}/v1/status`, { headers: { origin: other } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

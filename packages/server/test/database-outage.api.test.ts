// A database that went away is an outage, not a bug: requests that need it answer 503
// `database_unavailable` with Retry-After (which the SDK retries), never 500, and the process stays up.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = (await loggedInClient(server.url)).token.accessToken;
  const { database } = server.services;
  await database.close(); // PGlite closed, or the pool ended: every query now fails as it would in an outage
  database.close = async () => {}; // closed once only, so the test server's own cleanup still runs
});
afterAll(() => server?.close());

it('answers reads and writes 503 database_unavailable with Retry-After, not 500', async () => {
  for (const [method, path, body] of [
    ['GET', '/v1/contracts', undefined],
    ['POST', '/v1/contracts', { title: 'During the outage' }],
  ] as const) {
    const res = await request(server.url, method, path, {
      token,
      body,
      headers: method === 'POST' ? { 'idempotency-key': `k-${Date.now()}` } : {},
    });
    expect(res.status, `${method} ${path}`).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json).toMatchObject({
      type: 'urn:cms:problem:database_unavailable',
      status: 503,
      code: 'database_unavailable',
      detail: 'The database cannot be reached; retry shortly.',
    });
  }
});

it('keeps the process serving what needs no database', async () => {
  expect((await request(server.url, 'GET', '/healthz')).status).toBe(200);
});

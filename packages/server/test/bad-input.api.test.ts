// Bad input to every operation gets a 4xx problem+json with a catalogue code, never a 500. Requests go to
// the server's app in process (`inProcessFetch`): the same middleware and handlers, no sockets.

import { errorCatalogue } from '@cms/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationPolicies } from '../src/generated/routes.js';
import { inProcessFetch, startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { type ApiTarget, loggedInClient, request } from './api-helpers.js';

let server: TestServer;
let api: ApiTarget;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ bodyLimitBytes: 64 * 1024 });
  api = { url: server.url, fetch: inProcessFetch(server) };
  token = (await loggedInClient(api)).token.accessToken;
});
afterAll(() => server?.close());

function expectProblem(res: Awaited<ReturnType<typeof request>>, status: number, code: string) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json).toMatchObject({ type: `urn:cms:problem:${code}`, status, code });
  expect(res.status).toBe(status);
}

const long = (n: number) => 'x'.repeat(n);
const did = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

describe('POST /v1/contracts', () => {
  it.each([
    ['missing title', {}, '/body/title'],
    ['wrong type', { title: 42 }, '/body/title'],
    ['empty title', { title: '' }, '/body/title'],
    ['oversized title', { title: long(201) }, '/body/title'],
    ['oversized description', { title: 't', description: long(10_001) }, '/body/description'],
    ['unknown field', { title: 't', owner: 'me' }, '/body'],
    ['terms not an object', { title: 't', terms: [1, 2] }, '/body/terms'],
    [
      'too many terms',
      { title: 't', terms: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, i])) },
      '/body/terms',
    ],
    ['party with a bad DID', { title: 't', parties: [{ did: 'alice', role: 'signer' }] }, '/body/parties/0/did'],
    ['party with an unknown role', { title: 't', parties: [{ did, role: 'boss' }] }, '/body/parties/0/role'],
    ['party with an unknown field', { title: 't', parties: [{ did, role: 'cc', email: 'a@b.c' }] }, '/body/parties/0'],
    [
      'signing order out of range',
      { title: 't', parties: [{ did, role: 'signer', signingOrder: 0 }] },
      '/body/parties/0/signingOrder',
    ],
    [
      'too many parties',
      { title: 't', parties: Array.from({ length: 101 }, () => ({ did, role: 'cc' })) },
      '/body/parties',
    ],
    ['metadata value not a string', { title: 't', metadata: { a: 1 } }, '/body/metadata/a'],
    [
      'too many metadata keys',
      { title: 't', metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) },
      '/body/metadata',
    ],
    ['oversized metadata key', { title: 't', metadata: { [long(101)]: 'v' } }, `/body/metadata/${long(101)}`],
    ['bad expiresAt', { title: 't', expiresAt: 'tomorrow' }, '/body/expiresAt'],
    ['NUL character', { title: 'a\u0000b' }, '/body/title'],
    ['NUL in a terms key', { title: 't', terms: { 'a\u0000': 1 } }, '/body/terms/a\u0000'],
    ['lone surrogate', { title: 'a\ud800b' }, '/body/title'],
  ])('%s → 422 validation_failed', async (_name, body, path) => {
    const res = await request(api, 'POST', '/v1/contracts', { token, body });
    expectProblem(res, 422, 'validation_failed');
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('malformed JSON → 400', async () => {
    expectProblem(
      await request(api, 'POST', '/v1/contracts', { token, rawBody: '{"title": ' }),
      400,
      'malformed_request',
    );
  });

  it('numbers beyond double range → 422', async () => {
    const res = await request(api, 'POST', '/v1/contracts', { token, rawBody: '{"title":"t","terms":{"n":1e400}}' });
    expectProblem(res, 422, 'validation_failed');
    expect(res.json.errors).toEqual([{ path: '/body/terms/n', message: 'number out of range' }]);
  });

  it('deep nesting → 422', async () => {
    const rawBody = `{"title":"t","terms":{"a":${'['.repeat(50)}${']'.repeat(50)}}}`;
    expectProblem(await request(api, 'POST', '/v1/contracts', { token, rawBody }), 422, 'validation_failed');
  });

  it('a body over the size limit → 413', async () => {
    const res = await request(api, 'POST', '/v1/contracts', {
      token,
      body: { title: 't', terms: { blob: long(70_000) } },
    });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('a non-JSON media type → 415', async () => {
    const res = await request(api, 'POST', '/v1/contracts', {
      token,
      rawBody: 'title=t',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('nothing is written when a request is rejected', async () => {
    const { client } = await loggedInClient(api);
    await request(api, 'POST', '/v1/contracts', {
      token: client.auth.accessToken,
      body: { title: 't', parties: [{ did, role: 'boss' }] },
    });
    expect((await client.contracts.list()).data).toEqual([]);
  });
});

describe('other operations', () => {
  it.each([
    ['GET', '/v1/contracts?limit=0', '/query/limit'],
    ['GET', '/v1/contracts?limit=101', '/query/limit'],
    ['GET', '/v1/contracts?limit=ten', '/query/limit'],
    ['GET', '/v1/contracts?status=archived', '/query/status'],
    ['GET', `/v1/contracts?cursor=${long(201)}`, '/query/cursor'],
    ['GET', '/v1/contracts/not-a-uuid', '/params/contractId'],
  ])('%s %s → 422', async (method, path, field) => {
    const res = await request(api, method, path, { token });
    expectProblem(res, 422, 'validation_failed');
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  it.each([
    ['/v1/auth/challenge', {}, '/body/did'],
    ['/v1/auth/challenge', { did: 42 }, '/body/did'],
    ['/v1/auth/challenge', { did: `did:key:${long(600)}` }, '/body/did'],
    ['/v1/auth/challenge', { did, extra: true }, '/body'],
    ['/v1/auth/token', {}, '/body/proof'],
    ['/v1/auth/token', { proof: long(8193) }, '/body/proof'],
    ['/v1/auth/token', { proof: 'a.b.c', nonce: 'n' }, '/body'],
  ])('POST %s %j → 422', async (path, body, field) => {
    const res = await request(api, 'POST', path, { body });
    expectProblem(res, 422, 'validation_failed');
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  it('a garbage proof → 401 invalid_proof', async () => {
    expectProblem(await request(api, 'POST', '/v1/auth/token', { body: { proof: 'not.a.jws' } }), 401, 'invalid_proof');
  });

  it('unknown routes → 404 problem', async () => {
    expectProblem(await request(api, 'GET', '/v1/nope', { token }), 404, 'not_found');
  });
});

describe('random bodies to every operation', () => {
  const withBody = Object.values(operationPolicies).filter((p) => p.method === 'post');

  it('never answer 5xx and always answer a catalogue problem on failure', async () => {
    const json = fc.oneof(
      fc.json(),
      fc
        .dictionary(
          fc.constantFrom('title', 'did', 'proof', 'parties', 'terms', 'metadata', 'expiresAt', 'x'),
          fc.jsonValue(),
        )
        .map((o) => JSON.stringify(o)),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...withBody), json, async (op, rawBody) => {
        const res = await request(api, 'POST', op.path, { token, rawBody });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers.get('content-type')).toBe('application/problem+json');
          expect(Object.keys(errorCatalogue)).toContain(res.json.code);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('missing bodies', () => {
  it.each(['/v1/contracts', '/v1/auth/challenge', '/v1/auth/token'])(
    'POST %s without a body → 4xx problem',
    async (path) => {
      const res = await request(api, 'POST', path, { token });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    },
  );
});

// Gateway hygiene on a real server: request timeouts, structured request logs with credentials
// redacted, /metrics after some traffic, and a shutdown that drains in-flight requests.
import { generateDidKey } from '@cms/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';
import { startSlowRequest, untilRefused } from './support/slow-request.js';

describe('request timeout', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ requestTimeoutMs: 300 });
  });
  afterAll(() => s.close());

  it('answers 503 request_timeout when a request runs past the limit', async () => {
    // The body never completes, so the handler cannot finish: only the timeout can answer.
    const stalled = await startSlowRequest(`${s.url}/v1/auth/challenge`, { did: (await generateDidKey()).did });
    const { status, body } = await stalled.response;
    stalled.abort();
    expect(status).toBe(503);
    expect(JSON.parse(body)).toMatchObject({
      code: 'request_timeout',
      status: 503,
      detail: 'The request took longer than 300 ms.',
      requestId: expect.any(String),
    });
    // Requests that finish in time are untouched.
    expect((await request(s.url, 'GET', '/v1/status')).status).toBe(200);
  });
});

describe('request logs', () => {
  let s: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    s = await startTestServer({
      log: { level: 'debug', destination: { write: (line: string) => void lines.push(line) } },
    });
  });
  afterAll(() => s.close());

  it('writes one JSON line per request and never a token, cookie or refresh token', async () => {
    const user = await loggedInClient(s.url);
    const refreshed = await user.client.auth.refresh();
    const me = await request(s.url, 'GET', '/v1/me', {
      token: refreshed.accessToken,
      headers: { cookie: 'session=cookie-secret-value' },
    });
    expect(me.status).toBe(200);
    const bad = await request(s.url, 'GET', '/v1/me', { token: 'not-a-real-token-but-still-secret' });
    expect(bad.status).toBe(401);

    const output = lines.join('');
    for (const secret of [
      user.token.accessToken,
      user.token.refreshToken,
      refreshed.accessToken,
      refreshed.refreshToken,
      'cookie-secret-value',
      'not-a-real-token-but-still-secret',
    ]) {
      expect(output).not.toContain(secret);
    }
    const entries = lines.map((l) => JSON.parse(l));
    const line = entries.find((e) => e.msg === 'request' && e.requestId === me.headers.get('x-request-id'));
    expect(line).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/v1/me',
      operationId: 'getMe',
      status: 200,
      durationMs: expect.any(Number),
      userId: refreshed.userId,
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
    });
    expect(entries.find((e) => e.route === '/v1/auth/refresh')).toMatchObject({ status: 200, method: 'POST' });
    expect(entries.find((e) => e.requestId === bad.headers.get('x-request-id'))).toMatchObject({
      status: 401,
      headers: { authorization: '[redacted]' },
    });
  });
});

describe('/metrics', () => {
  let s: TestServer;
  const token = 'metrics-token-for-tests-0123';
  beforeAll(async () => {
    s = await startTestServer({
      metricsToken: () => token,
      rateLimit: {
        enabled: true,
        ip: { steady: { points: 1000, durationSeconds: 60 }, burst: { points: 1, durationSeconds: 60 } },
        user: { steady: { points: 1000, durationSeconds: 60 }, burst: { points: 1, durationSeconds: 60 } },
        auth: { steady: { points: 1, durationSeconds: 60 }, burst: { points: 1, durationSeconds: 60 } },
        onStoreError: 'open',
      },
    });
  });
  afterAll(() => s.close());
  const scrape = async () => {
    const r = await request(s.url, 'GET', '/metrics', { token });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return r.text;
  };
  const value = (text: string, series: string) =>
    Number(new RegExp(`^${series.replace(/[{}"=,.]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

  it('needs the metrics token when one is configured', async () => {
    expect((await request(s.url, 'GET', '/metrics')).json).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect((await request(s.url, 'GET', '/metrics', { token: 'wrong-token-of-some-length' })).json).toMatchObject({
      status: 401,
      code: 'invalid_token',
    });
  });

  it('reports request durations by operation, auth failures, rate-limit rejections, the ledger backlog and process metrics', async () => {
    const user = await loggedInClient(s.url);
    const before = await scrape();
    await user.client.contracts.create({ title: 'Metered' });
    await request(s.url, 'GET', '/v1/me');
    // The login spent the auth limit's steady point and its burst: one more challenge is refused.
    expect((await request(s.url, 'POST', '/v1/auth/challenge', { body: { did: user.key.did } })).status).toBe(429);
    const after = await scrape();

    expect(
      value(after, 'http_request_duration_seconds_count{operation_id="createContract",method="POST",status="201"}'),
    ).toBe(1);
    expect(
      value(after, 'http_request_duration_seconds_count{operation_id="createAuthToken",method="POST",status="200"}'),
    ).toBe(1);
    expect(
      value(after, 'cms_auth_failures_total{code="unauthenticated"}') -
        (value(before, 'cms_auth_failures_total{code="unauthenticated"}') || 0),
    ).toBe(1);
    expect(value(after, 'cms_rate_limit_rejections_total{limit="auth"}')).toBe(1);
    // The new contract's event waits in the outbox: this server anchors nothing (chain disabled).
    expect(value(after, 'cms_ledger_backlog') - value(before, 'cms_ledger_backlog')).toBe(1);
    expect(after).toMatch(/^process_cpu_user_seconds_total \S+$/m);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds \S+$/m);
  });
});

describe('shutdown', () => {
  it('lets an in-flight request finish while refusing new connections, and aborts services.closing first', async () => {
    const s = await startTestServer();
    const inFlight = await startSlowRequest(`${s.url}/v1/auth/challenge`, { did: (await generateDidKey()).did });
    expect(s.services.closing.aborted).toBe(false);
    const closed = s.close();
    expect(s.services.closing.aborted).toBe(true);
    await untilRefused(s.url);
    inFlight.finish();
    const response = await inFlight.response;
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ nonce: expect.any(String) });
    await closed;
  });
});

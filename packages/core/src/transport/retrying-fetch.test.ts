// The retry loop against HTTP answers served by msw, with an injected sleep that records each wait
// instead of waiting, so no assertion depends on the wall clock.
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CmsConnectionError, CmsTimeoutError } from '../errors.js';
import { abortableSleep } from './abortable-sleep.js';
import { createRetryingFetch } from './retrying-fetch.js';

const api = setupServer();
beforeAll(() => api.listen({ onUnhandledRequest: 'error' }));
afterEach(() => api.resetHandlers());
afterAll(() => api.close());

const URL_ = 'http://cms.test/v1/thing';
const options = { signal: undefined, timeoutMs: 5_000, maxRetries: 2 };

/** A retrying fetch whose waits are recorded, not slept. */
function recording(random = () => 0.5) {
  const waits: number[] = [];
  const send = createRetryingFetch({
    fetch: () => globalThis.fetch,
    sleep: async (ms) => void waits.push(ms),
    random,
    now: () => Date.parse('2026-01-01T00:00:00Z'),
  });
  return { send, waits };
}

/** Answers with `responses` in turn and counts the attempts. */
function answers(method: 'get' | 'post', ...responses: (() => Response)[]) {
  const seen: Request[] = [];
  api.use(
    http[method](URL_, ({ request }) => {
      seen.push(request);
      return (responses[seen.length - 1] ?? responses.at(-1)!)();
    }),
  );
  return seen;
}

const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new HttpResponse(null, { status: code, headers });

describe('retries', () => {
  it('retries a 503 after the delay its Retry-After asks for', async () => {
    const seen = answers('get', status(503, { 'retry-after': '1' }), () => HttpResponse.json({ ok: true }));
    const { send, waits } = recording();
    const response = await send(new Request(URL_), options);
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(waits).toEqual([1000]);
  });

  it('reads Retry-After as an HTTP date too, and caps it at 60 s', async () => {
    answers(
      'get',
      status(429, { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }),
      status(503, { 'retry-after': '86400' }),
      status(200),
    );
    const { send, waits } = recording();
    expect((await send(new Request(URL_), options)).status).toBe(200);
    expect(waits).toEqual([3000, 60_000]);
  });

  it('backs off with jitter below a doubling ceiling and returns the last answer when retries run out', async () => {
    const seen = answers('get', status(502));
    const { send, waits } = recording(() => 0.5);
    expect((await send(new Request(URL_), { ...options, maxRetries: 5 })).status).toBe(502);
    expect(seen).toHaveLength(6);
    expect(waits).toEqual([375, 750, 1500, 3000, 3000]);
  });

  it('retries 409 idempotency_key_in_use with the same key after its Retry-After, and no other 409', async () => {
    const inUse = () =>
      HttpResponse.json(
        { status: 409, code: 'idempotency_key_in_use' },
        { status: 409, headers: { 'retry-after': '3' } },
      );
    const seen = answers('post', inUse, inUse, status(201));
    const { send, waits } = recording();
    const keyed = () => new Request(URL_, { method: 'POST', body: '{}', headers: { 'idempotency-key': 'k-409' } });
    expect((await send(keyed(), options)).status).toBe(201);
    expect(seen.map((r) => r.headers.get('idempotency-key'))).toEqual(['k-409', 'k-409', 'k-409']);
    expect(waits).toEqual([3000, 3000]);

    api.resetHandlers();
    const conflict = answers(
      'post',
      () => HttpResponse.json({ status: 409, code: 'invalid_transition' }, { status: 409 }),
      status(201),
    );
    const answered = await send(keyed(), options);
    expect(answered.status).toBe(409);
    expect(await answered.json()).toMatchObject({ code: 'invalid_transition' });
    expect(conflict).toHaveLength(1);
  });

  it('does not retry a 400 (nor a 500: the request may have been applied)', async () => {
    for (const code of [400, 500]) {
      const seen = answers('get', status(code), status(200));
      const { send, waits } = recording();
      expect((await send(new Request(URL_), options)).status).toBe(code);
      expect(seen).toHaveLength(1);
      expect(waits).toEqual([]);
    }
  });

  it('retries a write only when it carries an Idempotency-Key, and sends the same key and body each time', async () => {
    const unkeyed = answers('post', status(503), status(201));
    const { send } = recording();
    expect((await send(new Request(URL_, { method: 'POST', body: '{"a":1}' }), options)).status).toBe(503);
    expect(unkeyed).toHaveLength(1);

    api.resetHandlers();
    const keyed = answers('post', status(503), status(503), status(201));
    const request = new Request(URL_, { method: 'POST', body: '{"a":1}', headers: { 'idempotency-key': 'key-1' } });
    expect((await send(request, options)).status).toBe(201);
    expect(keyed.map((r) => r.headers.get('idempotency-key'))).toEqual(['key-1', 'key-1', 'key-1']);
    expect(await Promise.all(keyed.map((r) => r.text()))).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
  });

  it('retries a network error of a keyed write, and reports a persistent one as CmsConnectionError', async () => {
    const seen = answers('post', () => HttpResponse.error(), status(201));
    const { send } = recording();
    const keyed = () => new Request(URL_, { method: 'POST', body: '{}', headers: { 'idempotency-key': 'k' } });
    expect((await send(keyed(), options)).status).toBe(201);
    expect(seen).toHaveLength(2);

    api.resetHandlers();
    answers('post', () => HttpResponse.error());
    const error = await send(keyed(), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CmsConnectionError);
    expect(error).toMatchObject({
      name: 'CmsConnectionError',
      code: 'connection_error',
      message: 'Could not reach the CMS server at http://cms.test',
    });
  });
});

describe('timeouts', () => {
  it('fails an attempt that outlives timeoutMs with CmsTimeoutError, a connection error', async () => {
    const seen = answers('get', () => new HttpResponse(null, { status: 200 }));
    api.use(
      http.get(URL_, async ({ request }) => (seen.push(request), await delay('infinite'), new HttpResponse(null))),
    );
    const { send } = recording();
    const error = await send(new Request(URL_), { ...options, timeoutMs: 20, maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CmsTimeoutError);
    expect(error).toBeInstanceOf(CmsConnectionError);
    expect(error).toMatchObject({
      code: 'timeout',
      message: 'No response from the CMS server at http://cms.test within 20 ms',
    });
  });

  it('retries a timed-out read', async () => {
    let attempts = 0;
    api.use(
      http.get(URL_, async () =>
        ++attempts === 1 ? (await delay('infinite'), new HttpResponse(null)) : HttpResponse.json({ ok: 1 }),
      ),
    );
    const { send, waits } = recording();
    expect((await send(new Request(URL_), { ...options, timeoutMs: 20 })).status).toBe(200);
    expect(attempts).toBe(2);
    expect(waits).toHaveLength(1);
  });
});

describe('abort', () => {
  it('sends nothing when the signal is already aborted, and rejects with its reason', async () => {
    const seen = answers('get', status(200));
    const { send } = recording();
    const error = await send(new Request(URL_), { ...options, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(0);
  });

  it('stops waiting for a retry when aborted, and sends no more attempts', async () => {
    const seen = answers('get', status(503, { 'retry-after': '30' }));
    const controller = new AbortController();
    const send = createRetryingFetch({
      fetch: () => globalThis.fetch,
      // The real sleep, aborted as soon as the first wait begins.
      sleep: (ms, signal) => {
        const sleeping = abortableSleep(ms, signal);
        controller.abort(new Error('user gave up'));
        return sleeping;
      },
    });
    await expect(send(new Request(URL_), { ...options, signal: controller.signal })).rejects.toThrow('user gave up');
    expect(seen).toHaveLength(1);
  });

  it('aborts an attempt in flight', async () => {
    const controller = new AbortController();
    api.use(http.get(URL_, async () => (controller.abort(), await delay('infinite'), new HttpResponse(null))));
    const { send, waits } = recording();
    const error = await send(new Request(URL_), { ...options, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(waits).toEqual([]);
  });
});

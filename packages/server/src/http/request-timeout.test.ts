import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './app-env.js';
import { problemResponse, toAppError } from './problem-response.js';
import { requestTimeout } from './request-timeout.js';

/** A handler that answers only when `release` is called. */
function gated() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  return { gate, release };
}

describe('requestTimeout', () => {
  it('answers request_timeout for a request still running, and leaves the event stream alone', async () => {
    const slow = gated();
    const stream = gated();
    const app = new Hono<AppEnv>();
    app.use(requestTimeout(5));
    app.get('/v1/contracts', async (c) => (await slow.gate, c.text('late')));
    app.get('/v1/events', async (c) => (await stream.gate, c.text('stream ended')));
    app.onError((e, c) => problemResponse(c, toAppError(e)));

    const timedOut = await app.request('/v1/contracts');
    expect(timedOut.status).toBe(503);
    expect(timedOut.headers.get('retry-after')).toBe('1');
    expect(await timedOut.json()).toMatchObject({
      status: 503,
      code: 'request_timeout',
      detail: 'The request took longer than 5 ms.',
    });
    slow.release();

    // Released only after the timeout has long fired for any other route.
    setTimeout(stream.release, 50);
    const events = await app.request('/v1/events');
    expect(await events.text()).toBe('stream ended');
  });
});

// Transport behaviour of events.subscribe against msw: what is sent (filters, Last-Event-ID, token),
// reconnecting after the stream ends or fails, refreshing an expired token, and stopping.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCmsClient } from '../client.js';
import type { ContractEvent, EventSubscription, StreamEvent } from './subscribe-events.js';

const api = setupServer();
beforeAll(() => api.listen({ onUnhandledRequest: 'error' }));
afterEach(() => api.resetHandlers());
afterAll(() => api.close());

const CONTRACT = '0190f2a0-0000-7000-8000-000000000000';
const ORG = '0190f2a0-0000-7000-8000-000000000001';
const event = (id: number, type = 'contract.sent'): ContractEvent => ({
  id: String(id),
  type: type as ContractEvent['type'],
  contractId: CONTRACT,
  organizationId: ORG,
  occurredAt: '2026-01-01T00:00:00.000Z',
  data: { status: 'pending', revision: id },
});
const frame = (e: ContractEvent) => `event: ${e.type}\nid: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`;
/** A response streaming `parts`, then ending (or staying open with `hold`). */
function sse(parts: string[], options: { hold?: boolean } = {}) {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(encoder.encode(p));
      if (!options.hold) controller.close();
    },
  });
  return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
}
const problem = (status: number, code: string) =>
  HttpResponse.json(
    { type: `urn:cms:problem:${code}`, title: code, status, code },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );

describe('events.subscribe', () => {
  it('sends the filters and token, delivers events in order, and resumes with Last-Event-ID after the stream ends', async () => {
    const requests: { url: URL; lastEventId: string | null; auth: string | null }[] = [];
    api.use(
      http.get('http://cms.test/v1/events', ({ request }) => {
        requests.push({
          url: new URL(request.url),
          lastEventId: request.headers.get('last-event-id'),
          auth: request.headers.get('authorization'),
        });
        // First connection: the retry hint, the head id, two events, then the server ends the stream.
        if (requests.length === 1)
          return sse(['retry: 5\nid: 10\n\n', frame(event(11)), frame(event(12, 'contract.signed'))]);
        return sse([frame(event(13))], { hold: true });
      }),
    );
    const cms = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'tok' });
    const received: string[] = [];
    let resolveThird!: () => void;
    const third = new Promise<void>((r) => (resolveThird = r));
    const sub = cms.events.subscribe({ types: ['contract.sent', 'contract.signed'], contractId: CONTRACT }, (e) => {
      received.push(`${e.type}#${e.id}`);
      if (received.length === 3) resolveThird();
    });
    await third;
    expect(received).toEqual(['contract.sent#11', 'contract.signed#12', 'contract.sent#13']);
    expect(sub.lastEventId).toBe('13');
    expect(
      requests.map((r) => [
        r.url.searchParams.get('types'),
        r.url.searchParams.get('contractId'),
        r.lastEventId,
        r.auth,
      ]),
    ).toEqual([
      ['contract.sent,contract.signed', CONTRACT, null, 'Bearer tok'],
      ['contract.sent,contract.signed', CONTRACT, '12', 'Bearer tok'],
    ]);
    sub.close();
    await sub.done;
  });

  it('reconnects after network errors and 503s, reporting each, with the last id it had', async () => {
    let calls = 0;
    const seenIds: (string | null)[] = [];
    api.use(
      http.get('http://cms.test/v1/events', ({ request }) => {
        calls++;
        seenIds.push(request.headers.get('last-event-id'));
        if (calls === 1) return sse(['retry: 1\n\n', frame(event(5))]);
        if (calls === 2) return HttpResponse.error();
        if (calls === 3) return problem(503, 'service_unavailable');
        return sse([frame(event(6))], { hold: true });
      }),
    );
    const errors: string[] = [];
    const cms = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'tok' });
    const got: string[] = [];
    await new Promise<void>((resolve) => {
      const sub = cms.events.subscribe(
        {},
        (e) => {
          got.push(e.id);
          if (e.id === '6') {
            sub.close();
            resolve();
          }
        },
        { onError: (e) => errors.push((e as Error).name), maxRetryMs: 5 },
      );
    });
    expect(got).toEqual(['5', '6']);
    expect(seenIds).toEqual([null, '5', '5', '5']);
    expect(errors).toEqual(['CmsConnectionError', 'CmsApiError']);
  });

  it('refreshes an expired access token through the client and reconnects with the new one', async () => {
    const auths: (string | null)[] = [];
    let refreshed = 0;
    api.use(
      http.post('http://cms.test/v1/auth/refresh', () => {
        refreshed++;
        return HttpResponse.json({
          accessToken: 'fresh',
          refreshToken: 'r2',
          tokenType: 'Bearer',
          expiresIn: 900,
          userId: ORG,
          organizationId: ORG,
          sessionId: ORG,
          did: 'did:key:z',
          roles: ['owner'],
        });
      }),
      http.get('http://cms.test/v1/events', ({ request }) => {
        const auth = request.headers.get('authorization');
        auths.push(auth);
        if (auth !== 'Bearer fresh') return problem(401, 'invalid_token');
        return sse([frame(event(1))], { hold: true });
      }),
    );
    const cms = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'stale', refreshToken: 'r1' });
    const first = await new Promise<StreamEvent>((resolve) => {
      const sub: EventSubscription = cms.events.subscribe({}, (e) => (sub.close(), resolve(e)));
    });
    expect(first.id).toBe('1');
    expect(refreshed).toBe(1);
    expect(auths).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('stops with a final error when access is refused, and on an AbortSignal', async () => {
    api.use(http.get('http://cms.test/v1/events', () => problem(403, 'forbidden')));
    const cms = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'tok' });
    const errors: unknown[] = [];
    const sub = cms.events.subscribe({}, () => {}, { onError: (e) => errors.push(e) });
    await sub.done;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ name: 'CmsPermissionError', status: 403, code: 'forbidden' });

    api.use(http.get('http://cms.test/v1/events', () => sse([': keep-alive\n\n'], { hold: true })));
    const controller = new AbortController();
    let opened!: () => void;
    const open = new Promise<void>((r) => (opened = r));
    const held = cms.events.subscribe({}, () => {}, { signal: controller.signal, onOpen: () => opened() });
    await open;
    controller.abort();
    await held.done;
  });

  it('passes a reset to onReset and keeps the resume point it names', async () => {
    api.use(
      http.get('http://cms.test/v1/events', () =>
        sse(
          [
            'retry: 3000\n\n',
            `event: reset\nid: 99\ndata: ${JSON.stringify({ reason: 'expired', lastEventId: '3' })}\n\n`,
          ],
          { hold: true },
        ),
      ),
    );
    const cms = createCmsClient({ baseUrl: 'http://cms.test', accessToken: 'tok' });
    const handled: unknown[] = [];
    let sub!: ReturnType<typeof cms.events.subscribe>;
    const reset = await new Promise((resolve) => {
      sub = cms.events.subscribe({}, (e) => void handled.push(e), { lastEventId: '3', onReset: resolve });
    });
    expect(reset).toEqual({ reason: 'expired', lastEventId: '3' });
    expect(handled).toEqual([]);
    expect(sub.lastEventId).toBe('99');
    sub.close();
    await sub.done;
  });

  it('rejects unknown options', () => {
    const cms = createCmsClient({ baseUrl: 'http://cms.test' });
    expect(() => cms.events.subscribe({}, () => {}, { retries: 3 } as never)).toThrow(
      'events.subscribe: unknown option(s) retries',
    );
  });
});

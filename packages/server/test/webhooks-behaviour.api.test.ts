// Webhook delivery rules against a real server and real receivers on loopback, with a short schedule
// (3 attempts, 150 ms apart), disabling after 2 failed deliveries and at most 2 requests per endpoint:
// secret rotation, 410 Gone, consecutive failures, Retry-After, per-contract order, concurrency.
import { type StreamEvent, verifyWebhook, type WebhookDisabledEvent } from '@cms/sdk';
import { and, eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { auditEvents } from '../src/db/schema/index.js';
import { startTestServer, type TestServer, testEnclave } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';
import { waitUntil } from './support/wait-until.js';
import { type ReceiverAnswer, startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

let server: TestServer;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  const defaults = loadConfig({});
  server = await startTestServer({
    enclave: testEnclave(),
    webhooks: {
      ...defaults.webhooks,
      allowHosts: ['127.0.0.1'],
      pollMs: 50,
      timeoutMs: 3000,
      retryScheduleMs: [0, 150, 150],
      disableAfterFailures: 2,
      endpointConcurrency: 2,
    },
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(respond?: Parameters<typeof startWebhookReceiver>[0]): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver(respond);
  receivers.push(r);
  return r;
}

/** A fresh organization (its owner's client and token) with one endpoint per receiver. */
async function organization() {
  const { client } = await loggedInClient(server.url);
  const token = client.auth.accessToken!;
  const endpoint = async (url: string, eventTypes?: string[]) => {
    const res = await request(server.url, 'POST', '/v1/webhooks', { token, body: { url, eventTypes } });
    expect(res.status, res.text).toBe(201);
    return res.json as { id: string; secret: string };
  };
  const get = async (id: string) => (await request(server.url, 'GET', `/v1/webhooks/${id}`, { token })).json;
  return { client, token, endpoint, get };
}

const typeOf = (body: string) => (JSON.parse(body) as { type: string }).type;
const eventIdOf = (body: string) => Number((JSON.parse(body) as { data: { id: string } }).data.id);
const v1Count = (sig: string) => sig.split(' ').filter((s) => s.startsWith('v1,')).length;

describe('webhook delivery rules', () => {
  it('signs with the new and the old secret during the grace period, then with the new one only', async () => {
    const hooks = await receiver();
    const org = await organization();
    const { id, secret: first } = await org.endpoint(hooks.url);
    const ping = async () => {
      const before = hooks.requests.length;
      expect((await request(server.url, 'POST', `/v1/webhooks/${id}/test`, { token: org.token })).status).toBe(202);
      await hooks.until((rs) => rs.length > before && rs.at(-1)!.status === 204);
      const hit = hooks.requests.at(-1)!;
      expect(typeOf(hit.body)).toBe('webhook.ping');
      return { body: hit.body, headers: hit.headers as Record<string, string> };
    };
    const accepts = (secret: string, h: { body: string; headers: Record<string, string> }) => {
      try {
        new Webhook(secret).verify(h.body, h.headers);
        return true;
      } catch {
        return false;
      }
    };

    const one = await ping();
    expect(v1Count(one.headers['webhook-signature']!)).toBe(1);

    const rotated = await request(server.url, 'POST', `/v1/webhooks/${id}/secrets`, {
      token: org.token,
      body: { graceSeconds: 3600 },
    });
    expect(rotated.status).toBe(201);
    const second = rotated.json.secret as string;
    expect(second).not.toBe(first);
    const both = await ping();
    expect(v1Count(both.headers['webhook-signature']!)).toBe(2);
    expect([accepts(first, both), accepts(second, both)]).toEqual([true, true]);
    expect(await verifyWebhook(both.body, both.headers, second)).toMatchObject({ type: 'webhook.ping' });
    expect(await verifyWebhook(both.body, both.headers, first)).toMatchObject({ type: 'webhook.ping' });

    // No grace: every older secret stops signing at once.
    const third = (
      await request(server.url, 'POST', `/v1/webhooks/${id}/secrets`, { token: org.token, body: { graceSeconds: 0 } })
    ).json.secret as string;
    const last = await ping();
    expect(v1Count(last.headers['webhook-signature']!)).toBe(1);
    expect([accepts(first, last), accepts(second, last), accepts(third, last)]).toEqual([false, false, true]);
    await expect(verifyWebhook(last.body, last.headers, [first, second])).rejects.toMatchObject({
      name: 'WebhookVerificationError',
    });
  });

  it('410 Gone disables the endpoint at once, with an audit event and webhook.disabled to the other endpoints', async () => {
    const gone = await receiver(() => ({ status: 410 }));
    const watcher = await receiver();
    const org = await organization();
    const target = await org.endpoint(gone.url, ['contract.created']);
    const watching = await org.endpoint(watcher.url, ['webhook.disabled']);
    await org.client.contracts.create({ title: 'Gone', parties: [] });
    await watcher.until((rs) => rs.some((r) => r.status === 204));
    expect(gone.requests).toHaveLength(1);
    expect(await org.get(target.id)).toMatchObject({ enabled: false, disabledReason: 'gone' });
    const hit = watcher.requests[0]!;
    const message = await verifyWebhook(hit.body, hit.headers as Record<string, string>, watching.secret);
    expect(message.type).toBe('webhook.disabled');
    if (message.type !== 'webhook.disabled') throw new Error('narrowing');
    expect(message.data).toEqual({ endpointId: target.id, url: gone.url, reason: 'gone', consecutiveFailures: 0 });
    const audit = await server.services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.resourceId, target.id), eq(auditEvents.action, 'webhook.disabled')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorDid: 'system', resourceType: 'webhook_endpoint', data: message.data });
    // Disabled: later events are not sent to it.
    await org.client.contracts.create({ title: 'Gone again', parties: [] });
    await new Promise((r) => setTimeout(r, 400));
    expect(gone.requests).toHaveLength(1);
  });

  it("tells the organization's members on the event stream, without the URL; other organizations never see it", async () => {
    const gone = await receiver(() => ({ status: 410 }));
    const org = await organization();
    const other = await organization();
    const target = await org.endpoint(gone.url, ['contract.created']);
    const seen: WebhookDisabledEvent[] = [];
    const otherSeen: StreamEvent[] = [];
    let open = 0;
    const onOpen = () => void open++;
    const subs = [
      org.client.events.subscribe({ types: ['webhook.disabled'] }, (e) => void seen.push(e), { onOpen }),
      other.client.events.subscribe({}, (e) => void otherSeen.push(e), { onOpen }),
    ];
    try {
      await waitUntil(() => open === 2, { what: 'both streams open' });
      await org.client.contracts.create({ title: 'Gone', parties: [] });
      await waitUntil(() => seen.length > 0, { what: 'an event on the stream' });
      expect(seen[0]).toEqual({
        id: expect.stringMatching(/^\d+$/),
        type: 'webhook.disabled',
        organizationId: (await org.get(target.id)).organizationId,
        occurredAt: expect.any(String),
        data: { endpointId: target.id, reason: 'gone', consecutiveFailures: 0 },
      });
      // The other organization's stream is live (it gets its own contract's event) and got nothing before it.
      await other.client.contracts.create({ title: 'Elsewhere', parties: [] });
      await waitUntil(() => otherSeen.length > 0, { what: 'an event on the other stream' });
      expect(otherSeen.map((e) => e.type)).toEqual(['contract.created']);
    } finally {
      for (const sub of subs) sub.close();
    }
  });

  it('disables the endpoint after 2 deliveries in a row failed all 3 attempts', async () => {
    const failing = await receiver(() => ({ status: 500 }));
    const watcher = await receiver();
    const org = await organization();
    const target = await org.endpoint(failing.url, ['contract.created']);
    const watching = await org.endpoint(watcher.url, ['webhook.disabled']);
    await org.client.contracts.create({ title: 'Fail 1', parties: [] });
    await org.client.contracts.create({ title: 'Fail 2', parties: [] });
    await watcher.until((rs) => rs.some((r) => r.status === 204));
    expect(failing.requests).toHaveLength(6);
    expect(await org.get(target.id)).toMatchObject({
      enabled: false,
      disabledReason: 'failures',
      consecutiveFailures: 2,
    });
    const deliveries = (await request(server.url, 'GET', `/v1/webhooks/${target.id}/deliveries`, { token: org.token }))
      .json.data;
    expect(deliveries.map((d: { status: string; attempts: number }) => [d.status, d.attempts])).toEqual([
      ['failed', 3],
      ['failed', 3],
    ]);
    const hit = watcher.requests[0]!;
    expect(await verifyWebhook(hit.body, hit.headers as Record<string, string>, watching.secret)).toMatchObject({
      type: 'webhook.disabled',
      data: { endpointId: target.id, reason: 'failures', consecutiveFailures: 2 },
    });
    const audit = await server.services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.resourceId, target.id), eq(auditEvents.action, 'webhook.disabled')));
    expect(audit.map((a) => a.data.reason)).toEqual(['failures']);
    // Enabled again: a fresh count.
    const enabled = await request(server.url, 'PATCH', `/v1/webhooks/${target.id}`, {
      token: org.token,
      body: { enabled: true },
    });
    expect(enabled.json).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
  });

  it('honours Retry-After: the next attempt waits as long as the receiver asked, not the 150 ms of the schedule', async () => {
    const hooks = await receiver((_r, earlier) =>
      earlier === 0 ? { status: 503, headers: { 'retry-after': '2' } } : { status: 204 },
    );
    const org = await organization();
    const { id } = await org.endpoint(hooks.url);
    expect((await request(server.url, 'POST', `/v1/webhooks/${id}/test`, { token: org.token })).status).toBe(202);
    await hooks.until((rs) => rs.some((r) => r.status === 204), 10_000);
    const [first, second] = hooks.requests as [(typeof hooks.requests)[0], (typeof hooks.requests)[0]];
    expect(second.id).toBe(first.id);
    expect(second.receivedAt - first.answeredAt!).toBeGreaterThanOrEqual(1900);
  });

  it('delivers the events of one contract in order, even when an earlier one needs retries', async () => {
    // The first event's first two attempts fail; the later ones must wait for its success.
    let firstId: string | undefined;
    const hooks = await receiver((r, earlier): ReceiverAnswer => {
      firstId ??= r.id;
      return r.id === firstId && earlier < 2 ? { status: 500 } : { status: 204 };
    });
    const org = await organization();
    await org.endpoint(hooks.url);
    const contract = await org.client.contracts.create({ title: 'Ordered', parties: [] });
    for (let i = 1; i <= 4; i++) await org.client.contracts.update(contract.id, { title: `Ordered ${i}` });
    await hooks.until((rs) => rs.filter((r) => r.status === 204).length === 5);
    const delivered = hooks.requests.filter((r) => r.status === 204);
    expect(delivered.map((r) => typeOf(r.body))).toEqual([
      'contract.created',
      'contract.updated',
      'contract.updated',
      'contract.updated',
      'contract.updated',
    ]);
    const ids = delivered.map((r) => eventIdOf(r.body));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // No request for a later event started before the earlier event's success was answered.
    for (let i = 1; i < delivered.length; i++) {
      const later = hooks.requests.filter((r) => r.id === delivered[i]!.id);
      for (const r of later) expect(r.receivedAt).toBeGreaterThanOrEqual(delivered[i - 1]!.answeredAt!);
    }
    expect(hooks.requests.filter((r) => r.id === delivered[0]!.id)).toHaveLength(3);
  });

  it('sends at most CMS_WEBHOOK_ENDPOINT_CONCURRENCY (2) requests to an endpoint at a time', async () => {
    const hooks = await receiver(() => ({ status: 204, holdUntil: new Promise((r) => setTimeout(r, 300)) }));
    const org = await organization();
    await org.endpoint(hooks.url, ['contract.created']);
    // Different contracts: no ordering between them, only the limit.
    for (let i = 0; i < 6; i++) await org.client.contracts.create({ title: `Busy ${i}`, parties: [] });
    await hooks.until((rs) => rs.filter((r) => r.status === 204).length === 6);
    expect(hooks.maxInFlight()).toBe(2);
    expect(hooks.requests).toHaveLength(6);
  });
});

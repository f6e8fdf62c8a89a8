// Webhooks end to end against a real server and a real receiver on loopback (allowed by the test's
// CMS_WEBHOOK_ALLOW_HOSTS): endpoint CRUD, SSRF refusals, signed delivery of a contract event.
import { createServer, type Server } from 'node:http';
import { verifyWebhook } from '@cms/sdk';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startTestServer, type TestServer, testEnclave } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;
let receiver: Server;
let receiverUrl: string;
const received: { headers: Record<string, string>; body: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  const defaults = loadConfig({});
  server = await startTestServer({
    enclave: testEnclave(),
    webhooks: { ...defaults.webhooks, allowHosts: ['127.0.0.1'], pollMs: 50 },
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await new Promise((r) => receiver?.close(r));
});

describe('webhooks', () => {
  it('refuses URLs that are not https or point at private, loopback or metadata addresses', async () => {
    const { client } = await loggedInClient(server.url);
    const token = client.auth.accessToken;
    for (const url of [
      'http://hooks.example.com/x',
      'https://10.0.0.1/x',
      'https://169.254.169.254/latest',
      'https://localhost/x',
      'https://[::1]/x',
    ]) {
      const res = await request(server.url, 'POST', '/v1/webhooks', { token, body: { url } });
      expect(res.status, url).toBe(422);
      expect(res.json.code, url).toBe('webhook_url_not_allowed');
    }
  });

  it('delivers a contract event signed with the endpoint secret (standardwebhooks verifier)', async () => {
    const { client } = await loggedInClient(server.url);
    const token = client.auth.accessToken;
    const created = await request(server.url, 'POST', '/v1/webhooks', {
      token,
      body: { url: receiverUrl, eventTypes: ['contract.created'] },
    });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_/);
    const contract = await client.contracts.create({ title: 'Hooked', parties: [] });
    const deadline = Date.now() + 20_000;
    while (!received.some((r) => r.body.includes(contract.id)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const hit = received.find((r) => r.body.includes(contract.id))!;
    expect(hit).toBeDefined();
    const payload = new Webhook(created.json.secret).verify(hit.body, hit.headers) as {
      type: string;
      data: { contractId: string };
    };
    expect(payload.type).toBe('contract.created');
    expect(payload.data.contractId).toBe(contract.id);
    expect(() =>
      new Webhook(created.json.secret).verify(hit.body.replace('contract.created', 'contract.createD'), hit.headers),
    ).toThrow();
    expect(hit.headers['webhook-signature']).toMatch(/v1a,/);
    const log = await request(server.url, 'GET', `/v1/webhooks/${created.json.id}/deliveries`, { token });
    expect(log.json.data[0]).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
      contractId: contract.id,
    });
    const jwks = await request(server.url, 'GET', '/.well-known/webhook-keys.json');
    expect(jwks.json.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
  }, 60_000);

  it('the SDK webhooks resource covers the 12 operations', async () => {
    const { client } = await loggedInClient(server.url);
    const created = await client.webhooks.create({ url: receiverUrl, eventTypes: ['contract.updated'] });
    expect(created.secret).toMatch(/^whsec_/);
    expect((await client.webhooks.list()).map((e) => e.id)).toEqual([created.id]);
    expect(await client.webhooks.get(created.id)).toMatchObject({ url: receiverUrl, enabled: true });
    expect(await client.webhooks.update(created.id, { description: 'CRM' })).toMatchObject({ description: 'CRM' });
    const rotated = await client.webhooks.rotateSecret(created.id, { graceSeconds: 60 });
    expect(rotated.secret).not.toBe(created.secret);
    const ping = await client.webhooks.test(created.id);
    expect(ping.eventType).toBe('webhook.ping');
    const deadline = Date.now() + 20_000;
    while ((await client.webhooks.delivery(created.id, ping.id)).status !== 'delivered' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const detail = await client.webhooks.delivery(created.id, ping.id);
    expect(detail).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(detail.attemptLog).toHaveLength(1);
    const hit = received.find((r) => r.headers['webhook-id'] === ping.messageId)!;
    // Two v1 signatures (both secrets in the grace period) and the v1a one, checked by the SDK.
    expect(hit.headers['webhook-signature']!.split(' ')).toHaveLength(3);
    await verifyWebhook(hit.body, hit.headers, created.secret);
    await verifyWebhook(hit.body, hit.headers, rotated.secret);
    await verifyWebhook(hit.body, hit.headers, await client.webhooks.jwks());
    expect(await client.webhooks.retry(created.id, ping.id)).toMatchObject({
      status: 'pending',
      messageId: ping.messageId,
    });
    const contract = await client.contracts.create({ title: 'Replayed', parties: [] });
    await client.contracts.update(contract.id, { title: 'Replayed 2' });
    const replay = await client.webhooks.replay(created.id, {
      from: new Date(Date.now() - 60_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(replay.queued).toBe(1);
    expect((await client.webhooks.deliveries(created.id).toArray()).length).toBeGreaterThanOrEqual(3);
    await client.webhooks.delete(created.id);
    await expect(client.webhooks.get(created.id)).rejects.toMatchObject({ name: 'CmsNotFoundError' });
  }, 60_000);
});

// Webhook delivery with real processes: `cms-server` as a child process on a file-backed PGlite data
// directory, the receiver in this test process on loopback (allowed by CMS_WEBHOOK_ALLOW_HOSTS), and a
// shortened retry schedule. A failing receiver gets every attempt with the same `webhook-id`; a server
// SIGKILLed in the middle of deliveries loses none of them after a restart on the same data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhook } from '@cms/sdk';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOf, loggedInClient, request } from './api-helpers.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const dirs: string[] = [];
const processes: ServerProcess[] = [];
const receivers: WebhookReceiver[] = [];
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop('SIGTERM')));
  await Promise.all(receivers.map((r) => r.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 60_000);

function env(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CMS_DATA_DIR: dataDir,
    CMS_CHAIN: 'disabled',
    // Tokens stay valid across a restart (which listens on another port).
    CMS_PUBLIC_URL: 'http://cms.test',
    CMS_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    CMS_WEBHOOK_POLL_MS: '50',
    ...extra,
  };
}

async function start(e: Record<string, string>): Promise<ServerProcess> {
  const p = await startServerProcess(e);
  processes.push(p);
  return p;
}

async function receiver(...args: Parameters<typeof startWebhookReceiver>): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver(...args);
  receivers.push(r);
  return r;
}

const contractIdOf = (body: string) => (JSON.parse(body) as { data: { contractId: string } }).data.contractId;

describe('a receiver that fails 5 times, then succeeds (schedule 0, 5×150 ms)', () => {
  let server: ServerProcess;
  let hooks: WebhookReceiver;
  let token: string;
  let secret: string;
  let endpointId: string;
  let contractIds: string[];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cms-webhooks-retry-'));
    dirs.push(dir);
    server = await start(env(dir, { CMS_WEBHOOK_RETRY_SCHEDULE: '0,150,150,150,150,150' }));
    // Per webhook-id: 500, 503, 500, 502, 500, then 204 (and 204 for any duplicate after that).
    const failures = [500, 503, 500, 502, 500];
    hooks = await receiver((_r, earlier) => ({ status: failures[earlier] ?? 204 }));
    const { client } = await loggedInClient(server.url);
    token = client.auth.accessToken!;
    const created = await request(server.url, 'POST', '/v1/webhooks', {
      token,
      body: { url: hooks.url, eventTypes: ['contract.created'] },
    });
    expect(created.status).toBe(201);
    secret = created.json.secret;
    endpointId = created.json.id;
    contractIds = [];
    for (let i = 0; i < 3; i++)
      contractIds.push((await client.contracts.create({ title: `Retry ${i}`, parties: [] })).id);
    await hooks.until((rs) => contractIds.every((c) => rs.some((r) => r.status === 204 && contractIdOf(r.body) === c)));
  }, 120_000);

  it('gets each event exactly once as far as webhook-id goes, after 6 attempts with the same id and body', async () => {
    const ids = [...new Set(hooks.requests.map((r) => r.id))];
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      const attempts = hooks.requests.filter((r) => r.id === id);
      expect(attempts.map((r) => r.status)).toEqual([500, 503, 500, 502, 500, 204]);
      expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
      // Every attempt is freshly signed and verifies.
      for (const a of attempts) new Webhook(secret).verify(a.body, a.headers as Record<string, string>);
      // The schedule: each retry at least ~150 ms (−20 % jitter) after the previous answer.
      for (let i = 1; i < attempts.length; i++)
        expect(attempts[i]!.receivedAt - attempts[i - 1]!.answeredAt!).toBeGreaterThanOrEqual(110);
    }
    expect(new Set(hooks.requests.filter((r) => r.status === 204).map((r) => contractIdOf(r.body)))).toEqual(
      new Set(contractIds),
    );
  });

  it('shows the 6 attempts in the delivery log', async () => {
    const list = await request(server.url, 'GET', `/v1/webhooks/${endpointId}/deliveries`, { token });
    expect(list.status).toBe(200);
    expect(list.json.data).toHaveLength(3);
    for (const d of list.json.data) {
      expect(d).toMatchObject({ status: 'delivered', attempts: 6, lastStatusCode: 204, eventType: 'contract.created' });
      const detail = await request(server.url, 'GET', `/v1/webhooks/${endpointId}/deliveries/${d.id}`, { token });
      expect(detail.json.attemptLog.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(detail.json.attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([
        500, 503, 500, 502, 500, 204,
      ]);
      expect(hooks.requests.filter((r) => r.id === d.messageId)).toHaveLength(6);
    }
    const endpoint = await request(server.url, 'GET', `/v1/webhooks/${endpointId}`, { token });
    expect(endpoint.json).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });

  it('a changed byte of the body, the id, the timestamp or the signature fails the reference verifier and the SDK', async () => {
    const hit = hooks.requests.find((r) => r.status === 204)!;
    const headers = hit.headers as Record<string, string>;
    const jwks = (await request(server.url, 'GET', '/.well-known/webhook-keys.json')).json;
    expect(new Webhook(secret).verify(hit.body, headers)).toMatchObject({ type: 'contract.created' });
    expect(await verifyWebhook(hit.body, headers, secret)).toMatchObject({ type: 'contract.created' });
    expect(await verifyWebhook(hit.body, headers, jwks)).toMatchObject({ type: 'contract.created' });
    const flip = (s: string, i: number) => s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ 1) + s.slice(i + 1);
    const tampered: [string, Record<string, string>][] = [
      [flip(hit.body, Math.floor(hit.body.length / 2)), headers],
      [flip(hit.body, 0), headers],
      [`${hit.body} `, headers],
      [hit.body, { ...headers, 'webhook-id': flip(headers['webhook-id']!, 5) }],
      [hit.body, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) + 1) }],
    ];
    for (const [body, h] of tampered) {
      expect(() => new Webhook(secret).verify(body, h)).toThrow();
      await expect(verifyWebhook(body, h, secret)).rejects.toMatchObject({ name: 'WebhookVerificationError' });
      await expect(verifyWebhook(body, h, jwks)).rejects.toMatchObject({ name: 'WebhookVerificationError' });
    }
    // A changed byte in a signature fails whoever checks that signature.
    const [v1, v1a] = headers['webhook-signature']!.split(' ') as [string, string];
    expect(v1).toMatch(/^v1,/);
    expect(v1a).toMatch(/^v1a,/);
    const badV1 = { ...headers, 'webhook-signature': `${flip(v1, 10)} ${v1a}` };
    expect(() => new Webhook(secret).verify(hit.body, badV1)).toThrow();
    await expect(verifyWebhook(hit.body, badV1, secret)).rejects.toMatchObject({ name: 'WebhookVerificationError' });
    const badV1a = { ...headers, 'webhook-signature': `${v1} ${flip(v1a, 10)}` };
    await expect(verifyWebhook(hit.body, badV1a, jwks)).rejects.toMatchObject({ name: 'WebhookVerificationError' });
  });
});

describe('SIGKILL in the middle of deliveries, restart on the same data directory', () => {
  it('loses no event and duplicates only with the same webhook-id', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cms-webhooks-kill-'));
    dirs.push(dir);
    // The lease of a claim is the timeout + 20 s: the restarted server takes the killed one's over then.
    const e = env(dir, { CMS_WEBHOOK_TIMEOUT_MS: '5000', CMS_WEBHOOK_ENDPOINT_CONCURRENCY: '2' });
    let first = await start(e);
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    let holding = true;
    // While the first server lives, every request is held (never answered); after the restart, 204.
    const hooks = await receiver(() => (holding ? { status: 204, holdUntil: held } : { status: 204 }));
    const { client, signer } = await loggedInClient(first.url);
    const token = client.auth.accessToken!;
    const created = await request(first.url, 'POST', '/v1/webhooks', {
      token,
      body: { url: hooks.url, eventTypes: ['contract.created'] },
    });
    expect(created.status).toBe(201);
    // 5 contracts: 2 deliveries in flight (the endpoint's concurrency), 3 still queued at the kill.
    const contractIds: string[] = [];
    for (let i = 0; i < 5; i++)
      contractIds.push((await client.contracts.create({ title: `Kill ${i}`, parties: [] })).id);
    await hooks.until(() => hooks.inFlight() === 2);
    first.stop('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    await hooks.until(() => hooks.inFlight() === 0);
    const beforeRestart = hooks.requests.length;
    expect(beforeRestart).toBe(2);
    holding = false;
    release();

    first = await start(e);
    await hooks.until(
      (rs) => contractIds.every((c) => rs.some((r) => r.status === 204 && contractIdOf(r.body) === c)),
      90_000,
    );
    // Every event arrived; a contract's requests all carry one webhook-id and one body.
    const ids = new Set<string>();
    for (const c of contractIds) {
      const mine = hooks.requests.filter((r) => contractIdOf(r.body) === c);
      expect(new Set(mine.map((r) => r.id)).size, c).toBe(1);
      expect(new Set(mine.map((r) => r.body)).size, c).toBe(1);
      ids.add(mine[0]!.id);
    }
    expect(ids.size).toBe(5);
    // Only the two in flight at the kill came twice.
    expect(hooks.requests.length).toBe(7);
    // The endpoint's owner, logged in again (sessions lived in the killed process's memory).
    const again = clientOf(first.url);
    await again.auth.login(signer);
    const token2 = again.auth.accessToken!;
    const list = await request(first.url, 'GET', `/v1/webhooks/${created.json.id}/deliveries`, { token: token2 });
    expect(list.status, list.text).toBe(200);
    expect(list.json.data.map((d: { status: string }) => d.status)).toEqual(Array(5).fill('delivered'));
    expect(list.json.data.map((d: { attempts: number }) => d.attempts).sort()).toEqual([1, 1, 1, 2, 2]);
  });
});

// `cms webhooks` and `cms audit` against a real server delivering to a real receiver on loopback (short
// retry schedule): secrets shown once and rotated, pings that verify with the current secret only, the
// delivery log, a retry and a replay that arrive again; the audit trail listed, verified by the server,
// exported (0600) and checked here, and a tampered export caught. Also `cms login` and `cms contracts sign`
// with a did:pkh key.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ledgerLeafOf, verifyWebhook } from '@cms/sdk';
import { loadConfig } from '@cms/server';
import { startTestServer, testEnclave } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../server/test/support/webhook-receiver.js';
import { permissions, runCli, tempDir } from './run-cli.js';

let server: { url: string; close(): Promise<void> };
let receiver: WebhookReceiver;
beforeAll(async () => {
  const defaults = loadConfig({});
  server = await startTestServer({
    // Webhook secrets are sealed by the enclave's keys.
    enclave: testEnclave(),
    webhooks: {
      ...defaults.webhooks,
      enabled: true,
      allowHosts: ['127.0.0.1'],
      pollMs: 50,
      timeoutMs: 3000,
      retryScheduleMs: [0, 150, 150],
    },
  });
  receiver = await startWebhookReceiver();
}, 60_000);
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

async function user(keyType: 'ed25519' | 'secp256k1' = 'ed25519') {
  const configDir = await tempDir();
  const env = { CMS_CONFIG_DIR: configDir, CMS_SERVER: server.url };
  const generated = await runCli(['keys', 'generate', '--type', keyType, '--json'], env);
  expect(generated, generated.stderr).toMatchObject({ code: 0 });
  const { did } = JSON.parse(generated.stdout) as { did: string };
  const login = await runCli(['login'], env);
  expect(login, login.stderr).toMatchObject({ code: 0 });
  const cms = (...args: string[]) => runCli(args, env);
  // biome-ignore lint/suspicious/noExplicitAny: parsed CLI output
  const json = async <T = any>(...args: string[]): Promise<T> => {
    const r = await cms(...args, '--json');
    expect(r, `${args.join(' ')}: ${r.stderr}`).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(r.stdout) as T;
  };
  return { configDir, env, did, cms, json };
}

const headersOf = (h: Record<string, string | string[] | undefined>) => h;
const typeOf = (body: string) => (JSON.parse(body) as { type: string }).type;

describe('cms webhooks', () => {
  it('creates, tests, rotates, lists deliveries, retries, replays, updates and deletes', {
    timeout: 90_000,
  }, async () => {
    const u = await user();
    const url = receiver.url.replace('/hook', `/hook-${Date.now()}`);

    // Human create shows the secret once, with the warning.
    const human = await u.cms(
      'webhooks',
      'create',
      '--url',
      url,
      '--event-type',
      'contract.created',
      '--description',
      'CLI test',
    );
    expect(human, human.stderr).toMatchObject({ code: 0, stderr: '' });
    const secret = /^secret\s+(whsec_\S+)$/m.exec(human.stdout)?.[1];
    expect(secret).toBeDefined();
    expect(human.stdout).toContain('not shown again');
    const id = /^id\s+(\S+)$/m.exec(human.stdout)![1]!;

    const list = await u.json('webhooks', 'list');
    expect(list).toEqual([
      expect.objectContaining({ id, url, description: 'CLI test', eventTypes: ['contract.created'], enabled: true }),
    ]);
    expect(JSON.stringify(list)).not.toContain(secret);
    expect((await u.cms('webhooks', 'list')).stdout).toMatch(
      new RegExp(`^${id}\\s+enabled\\s+${url}\\s+contract.created$`, 'm'),
    );
    expect(await u.json('webhooks', 'get', id)).toMatchObject({ id, url, consecutiveFailures: 0 });

    // A ping arrives, signed with the secret.
    const ping = await u.json('webhooks', 'test', id);
    expect(ping).toMatchObject({ eventType: 'webhook.ping', status: 'pending' });
    await receiver.until((rs) => rs.some((r) => r.id === ping.messageId));
    const first = receiver.requests.find((r) => r.id === ping.messageId)!;
    expect(typeOf(first.body)).toBe('webhook.ping');
    await verifyWebhook(first.body, headersOf(first.headers), secret!);

    // A rotated secret differs; with no grace the old one no longer signs.
    const rotated = await u.json('webhooks', 'rotate-secret', id, '--grace-seconds', '0');
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    const ping2 = await u.json('webhooks', 'test', id);
    await receiver.until((rs) => rs.some((r) => r.id === ping2.messageId));
    const second = receiver.requests.find((r) => r.id === ping2.messageId)!;
    await verifyWebhook(second.body, headersOf(second.headers), rotated.secret);
    await expect(verifyWebhook(second.body, headersOf(second.headers), secret!)).rejects.toThrow();

    // The delivery log and one delivery with its attempts.
    let deliveries: { id: string; status: string; messageId: string }[] = [];
    for (let i = 0; i < 100; i++) {
      deliveries = await u.json('webhooks', 'deliveries', id, '--status', 'delivered', '--all');
      if (deliveries.length === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(deliveries.map((d) => d.messageId).sort()).toEqual([ping.messageId, ping2.messageId].sort());
    const page = await u.json('webhooks', 'deliveries', id, '--limit', '1');
    expect(page.data).toHaveLength(1);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect((await u.cms('webhooks', 'deliveries', id, '--limit', '1')).stdout).toContain(
      `more: cms webhooks deliveries ${id} --limit 1 --cursor ${page.nextCursor}`,
    );
    const detail = await u.json('webhooks', 'delivery', id, ping.id);
    expect(detail).toMatchObject({ id: ping.id, status: 'delivered', payload: { type: 'webhook.ping' } });
    expect(detail.attemptLog[0]).toMatchObject({ attempt: 1, statusCode: 204 });
    expect((await u.cms('webhooks', 'delivery', id, ping.id)).stdout).toMatch(/^attempt/im);

    // A retried delivery arrives again, with the same webhook-id.
    const before = receiver.requests.filter((r) => r.id === ping.messageId).length;
    const retried = await u.json('webhooks', 'retry', id, ping.id);
    expect(retried.id).toBe(ping.id);
    await receiver.until((rs) => rs.filter((r) => r.id === ping.messageId).length === before + 1);
    await verifyWebhook(
      receiver.requests.filter((r) => r.id === ping.messageId).at(-1)!.body,
      headersOf(receiver.requests.filter((r) => r.id === ping.messageId).at(-1)!.headers),
      rotated.secret,
    );

    // A contract event is delivered; a replay of its range delivers it again.
    const from = new Date(Date.now() - 1000).toISOString();
    const contract = await u.json('contracts', 'create', '--title', 'Replayed');
    const created = (rs: typeof receiver.requests) =>
      rs.filter((r) => r.body.includes(contract.id) && typeOf(r.body) === 'contract.created');
    await receiver.until((rs) => created(rs).length === 1);
    const to = new Date(Date.now() + 1000).toISOString();
    const replay = await u.json('webhooks', 'replay', id, '--from', from, '--to', to);
    expect(replay.queued).toBeGreaterThanOrEqual(1);
    await receiver.until((rs) => created(rs).length === 2);
    expect((await u.cms('webhooks', 'replay', id, '--from', 'yesterday', '--to', to)).code).toBe(2);

    // Update: disable, enable, event types; nothing to change is a usage error.
    expect(await u.json('webhooks', 'update', id, '--disable')).toMatchObject({
      enabled: false,
      disabledReason: 'manual',
    });
    expect((await u.cms('webhooks', 'list')).stdout).toContain('disabled (manual)');
    expect(await u.json('webhooks', 'update', id, '--enable', '--all-events', '--description', '')).toMatchObject({
      enabled: true,
      eventTypes: [],
      description: null,
    });
    expect((await u.cms('webhooks', 'update', id)).code).toBe(2);
    expect((await u.cms('webhooks', 'update', id, '--enable', '--disable')).code).toBe(2);

    // Delete: gone afterwards (exit 4).
    expect(await u.json('webhooks', 'delete', id)).toEqual({ id, deleted: true });
    const gone = await u.cms('webhooks', 'get', id);
    expect(gone.code).toBe(4);
    expect(await u.json('webhooks', 'list')).toEqual([]);
  });
});

describe('cms audit', () => {
  it('lists, verifies, exports and checks the chain here; catches a tampered export', { timeout: 90_000 }, async () => {
    const u = await user();
    const a = await u.json('contracts', 'create', '--title', 'Audited A');
    await u.json('contracts', 'create', '--title', 'Audited B');

    const page = await u.json('audit', 'events');
    expect(page.data.length).toBeGreaterThanOrEqual(2);
    expect(page.data.map((e: { seq: number }) => e.seq)).toEqual(
      [...page.data.map((e: { seq: number }) => e.seq)].sort((x: number, y: number) => x - y),
    );
    const all = await u.json('audit', 'events', '--all', '--limit', '1');
    expect(all.length).toBe(page.data.length);
    const ofA = await u.json('audit', 'events', '--contract', a.id, '--all');
    expect(ofA.length).toBeGreaterThanOrEqual(1);
    expect(ofA.every((e: { resource: { id: string } }) => e.resource.id === a.id)).toBe(true);
    const created = await u.json('audit', 'events', '--action', 'contract.created');
    expect(created.data.map((e: { action: string }) => e.action)).toEqual(created.data.map(() => 'contract.created'));
    expect((await u.cms('audit', 'events')).stdout).toMatch(/^SEQ\s+OCCURRED\s+ACTION/);

    const verified = await u.json('audit', 'verify');
    expect(verified).toMatchObject({ verified: true, break: null });
    expect(verified.checkedEvents).toBeGreaterThanOrEqual(2);
    expect((await u.cms('audit', 'verify')).stdout).toContain('verified: the chain holds');

    // Export to a 0600 file and check it here (chain, manifest, content hash, signature against the JWKS).
    const file = join(u.configDir, 'audit.jsonl');
    const exported = await u.json('audit', 'export', '--out', file, '--verify');
    expect(exported).toMatchObject({ file, format: 'jsonl', rows: verified.checkedEvents });
    expect(exported.verification).toMatchObject({ verified: true, signatureChecked: true, break: null });
    expect(exported.verification.checks.map((c: { name: string }) => c.name)).toEqual([
      'chain',
      'row count',
      'range',
      'content hash',
      'anchor proofs',
      'signature',
    ]);
    expect(permissions((await stat(file)).mode)).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text.trimEnd().split('\n')).toHaveLength(verified.checkedEvents + 1);
    expect((await u.cms('audit', 'export', '--out', file)).code).toBe(1); // exists, no --force

    // The same export on stdout.
    const stdout = await u.cms('audit', 'export');
    expect(stdout.code).toBe(0);
    expect(JSON.parse(stdout.stdout.trimEnd().split('\n').at(-1)!).manifest.type).toBe('cms.audit-export.v1');
    expect((await u.cms('audit', 'export', '--json')).code).toBe(2);

    // Offline, with and without the server's JWKS.
    const offline = await u.json('audit', 'verify', '--file', file);
    expect(offline).toMatchObject({ file, verified: true, signatureChecked: false });
    const jwksFile = join(u.configDir, 'jwks.json');
    await writeFile(jwksFile, await (await fetch(`${server.url}/.well-known/jwks.json`)).text());
    expect(await u.json('audit', 'verify', '--file', file, '--jwks', jwksFile)).toMatchObject({
      verified: true,
      signatureChecked: true,
    });

    // Tampering with one event's data breaks the chain at that row; a forged manifest fails its signature.
    const lines = text.trimEnd().split('\n');
    const row = JSON.parse(lines[1]!);
    row.data = { ...row.data, tampered: true };
    const tampered = join(u.configDir, 'tampered.jsonl');
    await writeFile(tampered, `${[lines[0], JSON.stringify(row), ...lines.slice(2)].join('\n')}\n`);
    const broken = await u.cms('audit', 'verify', '--file', tampered, '--json');
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({
      verified: false,
      break: { kind: 'hash_mismatch', seq: row.seq, eventId: row.id },
    });
    expect(JSON.parse(broken.stderr).error.code).toBe('audit_chain_broken');
    const human = await u.cms('audit', 'verify', '--file', tampered);
    expect(human.stdout).toMatch(/^FAIL\s+chain\s+hash_mismatch/m);
    expect(human.stdout).toContain('NOT VERIFIED');

    const trailer = JSON.parse(lines.at(-1)!);
    trailer.manifest.rowCount += 1;
    const forged = join(u.configDir, 'forged.jsonl');
    await writeFile(forged, `${[...lines.slice(0, -1), JSON.stringify(trailer)].join('\n')}\n`);
    const forgedCheck = await u.cms('audit', 'verify', '--file', forged, '--jwks', jwksFile, '--json');
    expect(forgedCheck.code).toBe(1);
    const failed = JSON.parse(forgedCheck.stdout).checks.filter((c: { ok: boolean }) => !c.ok);
    expect(failed.map((c: { name: string }) => c.name)).toEqual(['row count', 'signature']);

    // Anchor proofs: a one-leaf batch (empty proof, root = the event's leaf) folds; another root does not.
    const anchorOf = (root: string) => ({
      root,
      proof: [],
      status: 'confirmed',
      batchId: row.id,
      transactionHash: null,
      chainId: null,
      ledgerAddress: `0x${'0'.repeat(40)}`,
    });
    const original = JSON.parse(lines[1]!);
    const withAnchor = async (root: string) => {
      const anchoredFile = join(u.configDir, 'anchored.jsonl');
      const rowWith = JSON.stringify({ ...original, anchor: anchorOf(root) });
      await writeFile(anchoredFile, `${[lines[0], rowWith, ...lines.slice(2)].join('\n')}\n`);
      const r = await u.cms('audit', 'verify', '--file', anchoredFile, '--json');
      return JSON.parse(r.stdout).checks.find((c: { name: string }) => c.name === 'anchor proofs');
    };
    expect(await withAnchor(ledgerLeafOf(original.hash))).toMatchObject({ ok: true });
    expect(await withAnchor(`0x${'ab'.repeat(32)}`)).toMatchObject({ ok: false });

    // On chain: the anchor must be on the ledger named; a node that does not answer proves nothing.
    const anchoredFile = join(u.configDir, 'anchored.jsonl');
    await withAnchor(ledgerLeafOf(original.hash));
    const ledger = ['--ledger-address', `0x${'12'.repeat(20)}`];
    const unreachable = await u.cms(
      'audit',
      'verify',
      '--file',
      anchoredFile,
      '--rpc-url',
      'http://127.0.0.1:9',
      ...ledger,
      '--json',
    );
    expect(unreachable.code).toBe(1);
    const report = JSON.parse(unreachable.stdout);
    expect(report).toMatchObject({ verified: false, chainChecked: true });
    // (The edited row also changes the content hash; the anchor check is the one of interest here.)
    expect(report.checks.find((c: { name: string }) => c.name === 'anchors on chain')).toEqual({
      name: 'anchors on chain',
      ok: false,
      detail: expect.stringContaining('1 of 1 confirmed anchors do not hold (first: seq'),
    });
    expect(JSON.stringify(report.checks)).toContain('the ledger could not be asked');
    expect((await u.cms('audit', 'verify', '--file', anchoredFile)).stdout).toContain('anchors on chain: not checked');
    expect((await u.cms('audit', 'verify', '--file', anchoredFile, '--rpc-url', 'http://127.0.0.1:9')).code).toBe(2);
    expect((await u.cms('audit', 'verify', '--rpc-url', 'http://127.0.0.1:9', ...ledger)).code).toBe(2);
  });
});

describe('cms login with a did:pkh key', () => {
  it('logs in as the did:pkh of a `keys generate --type secp256k1` key', async () => {
    const u = await user('secp256k1');
    expect(u.did).toMatch(/^did:pkh:eip155:1:0x[0-9a-fA-F]{40}$/);
    const me = await u.json('whoami');
    expect(me.did).toBe(u.did);
    const key = JSON.parse(await readFile(join(u.configDir, 'key.json'), 'utf8'));
    expect(permissions((await stat(join(u.configDir, 'key.json'))).mode)).toBe(0o600);
    expect((await u.cms('whoami')).stdout).not.toContain(key.privateKey.slice(2));

    // It signs contracts too (EIP-712), as its did:pkh.
    const contract = await u.json(
      'contracts',
      'create',
      '--title',
      'Signed with Ethereum',
      '--party',
      `${u.did}:signer`,
    );
    await u.json('contracts', 'send', contract.id);
    const signed = await u.json('contracts', 'sign', contract.id);
    expect(signed.status).toBe('executed');
    const evidence = await u.json('contracts', 'evidence', contract.id);
    expect(JSON.stringify(evidence)).toContain(u.did);
  });
});

// Killing the enclave under load, with real processes: `cms-server` (tsx) and its `cms-enclave` child.
// Requests that need the enclave get 503 enclave_unavailable + Retry-After while it is down; the others
// are unaffected; the server restarts it; everything encrypted before stays readable.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CmsClient, createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';
import { attestEnclave, readConfidentialTerms, sealConfidentialTerms } from '@cms/sdk/enclave';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './support/server-process.js';

let dir: string;
let server: ServerProcess;
let cms: CmsClient;
let signer: Awaited<ReturnType<typeof didKeySigner>>;
let organizationId: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The enclave child of the server process (started by it, so by this test). */
const enclavePid = () =>
  Number(
    execFileSync('pgrep', ['-P', String(server.pid), '-f', 'serve --socket'])
      .toString()
      .trim()
      .split('\n')[0],
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'enclave-outage-'));
  server = await startServerProcess(
    { CMS_DATA_DIR: dir, CMS_CHAIN: 'disabled', CMS_RATE_LIMIT: 'off' },
    { startTimeoutMs: 120_000 },
  );
  signer = await didKeySigner((await generateDidKey()).privateKey);
  // No transport retries: this test looks at every single answer.
  cms = createCmsClient({ baseUrl: server.url, maxRetries: 0 });
  organizationId = (await cms.auth.login(signer)).organizationId;
}, 180_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('enclave outage under load', () => {
  it('fails only what needs the enclave, retryably, restarts it, and loses nothing', { timeout: 180_000 }, async () => {
    const root = ((await (await fetch(`${server.url}/v1/enclave`)).json()) as { rootCertificate: string })
      .rootCertificate;
    const sealedBefore: { id: string; commitment: string; secret: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const enclave = await attestEnclave(cms, { roots: [root] });
      const c = await cms.contracts.create({
        title: `before ${i}`,
        confidentialTerms: await sealConfidentialTerms({ secret: i }, enclave, organizationId),
        parties: [{ did: signer.did, role: 'signer' }],
      });
      sealedBefore.push({ id: c.id, commitment: c.confidentialTerms!.commitment, secret: i });
    }
    const token = cms.auth.accessToken!;
    const plain: number[] = [];
    const needing: { status: number; code?: string; retryAfter: string | null }[] = [];
    let stop = false;
    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const body = res.headers.get('content-type')?.includes('json')
        ? ((await res.json()) as { code?: string })
        : undefined;
      return { status: res.status, code: body?.code, retryAfter: res.headers.get('retry-after') };
    };
    // Two loops: one only uses the database, one needs the enclave on every request.
    const plainLoop = (async () => {
      for (let i = 0; !stop && i < 2000; i++) {
        plain.push((await get('/v1/contracts?limit=5')).status);
        const created = await fetch(`${server.url}/v1/contracts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title: `plain ${i}` }),
        });
        plain.push(created.status);
        await created.body?.cancel();
      }
    })();
    const enclaveLoop = (async () => {
      for (let i = 0; !stop && i < 4000; i++) {
        needing.push(await get(`/v1/enclave/attestation?nonce=${'0f'.repeat(16)}`));
        await sleep(10);
      }
    })();
    await sleep(1000);
    const killed = enclavePid();
    process.kill(killed, 'SIGKILL');
    // Until the enclave answers again (a new process), then a little more load.
    let restarted = false;
    for (let i = 0; i < 300 && !restarted; i++) {
      await sleep(100);
      restarted =
        needing.slice(-3).length === 3 &&
        needing.slice(-3).every((r) => r.status === 200) &&
        needing.some((r) => r.status === 503);
    }
    await sleep(500);
    stop = true;
    await Promise.all([plainLoop, enclaveLoop]);

    expect(restarted, 'the enclave answered again after the kill').toBe(true);
    expect(enclavePid()).not.toBe(killed);
    expect(plain.length).toBeGreaterThan(10);
    expect(
      plain.filter((s) => s >= 300),
      'requests without the enclave all succeeded',
    ).toEqual([]);
    const failed = needing.filter((r) => r.status !== 200);
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(f).toEqual({ status: 503, code: 'enclave_unavailable', retryAfter: '1' });
    // Nothing encrypted became unreadable.
    for (const s of sealedBefore)
      expect((await readConfidentialTerms(cms, s.id, signer, s.commitment)).terms).toEqual({ secret: s.secret });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^cms_enclave_up 1$/m);
    expect(metrics).toMatch(/^cms_enclave_restarts 1$/m);
    expect(metrics).toMatch(/^cms_enclave_operations_count\{operation="attest"\} \d+$/m);
  });
});

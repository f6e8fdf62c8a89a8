// A signature made in real Chromium through the SDK's browser build verifies on the server. The page
// (another origin, allowed by the server's CORS configuration) generates a did:key, logs in, creates a
// contract naming itself as signer, sends and signs it with the key that never leaves the page, then
// fetches the evidence bundle and runs verifyEvidence in the browser.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { verifyEvidence, type EvidenceBundle, type EvidenceVerification } from '@cms/sdk';
import { eq } from 'drizzle-orm';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractSignatures, contracts } from '../src/db/schema/index.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';

let sdkBundle: string;
let inputs: string[];
let pages: Server;
let pageOrigin: string;
let server: TestServer;
let browser: Browser;

/** The SDK as a browser gets it: one ES module, dependencies included, resolved for the `browser` platform. */
async function buildBrowserSdk() {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../../core/src/index.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser', // a Node built-in anywhere in the graph fails the build
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

beforeAll(async () => {
  ({ code: sdkBundle, inputs } = await buildBrowserSdk());
  pages = createServer((req, res) => {
    if (req.url === '/sdk.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdkBundle);
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>CMS SDK</title>
<script type="module">import * as sdk from '/sdk.js'; window.sdk = sdk; window.sdkReady = true;</script>`);
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  server = await startTestServer({ corsOrigins: [pageOrigin] });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (pages ? pages.close(resolve) : resolve(undefined)));
  await server?.close();
});

interface PageResult {
  did: string;
  contractId: string;
  status: string;
  evidence: EvidenceBundle;
  verification: EvidenceVerification;
  userAgent: string;
}

describe('the SDK in Chromium', () => {
  it('is one browser module with no Node built-ins', () => {
    expect(inputs.filter((i) => i.startsWith('node:') || /^(crypto|fs|path|buffer|util)$/.test(i))).toEqual([]);
    expect(sdkBundle).not.toMatch(/\bfrom\s*["']node:|require\(\s*["']node:/);
    expect(inputs.some((i) => i.includes('@noble/ed25519'))).toBe(true);
  });

  it('signs with a key that never leaves the page, and the server verifies the signature', async () => {
    const page = await browser.newPage();
    const sent: string[] = [];
    page.on('request', (r) => sent.push(`${r.method()} ${r.url()}\n${r.headers().authorization ?? ''}\n${r.postData() ?? ''}`));
    await page.goto(pageOrigin);
    await page.waitForFunction(() => (window as unknown as { sdkReady?: boolean }).sdkReady === true);
    const result = await page.evaluate(async (baseUrl): Promise<PageResult> => {
      const w = window as unknown as { sdk: typeof import('@cms/sdk'); keyForTheTest: string };
      const { createCmsClient, didKeySigner, generateDidKey, verifyEvidence } = w.sdk;
      const key = await generateDidKey();
      w.keyForTheTest = key.privateKey; // read back over the DevTools protocol, never sent anywhere
      const signer = await didKeySigner(key.privateKey);
      const cms = createCmsClient({ baseUrl });
      await cms.auth.login(signer);
      const draft = await cms.contracts.create({ title: 'Signed in Chromium', terms: { where: 'a browser' }, parties: [{ did: key.did, role: 'signer' }] });
      await cms.contracts.send(draft.id);
      const signed = await cms.contracts.sign(draft.id, { signer });
      const evidence = await cms.contracts.evidence(draft.id);
      return { did: key.did, contractId: draft.id, status: signed.status, evidence, verification: await verifyEvidence(evidence), userAgent: navigator.userAgent };
    }, server.url);
    const privateKey = await page.evaluate(() => (window as unknown as { keyForTheTest: string }).keyForTheTest);
    await page.close();

    expect(result.userAgent).toMatch(/HeadlessChrome|Chrome\//);
    expect(new URL(server.url).origin).not.toBe(pageOrigin); // every API call was cross-origin
    expect(result.status).toBe('executed');
    // The server recorded the JWS it verified against the DID, and the contract is executed.
    const db = server.services.database.db;
    const [row] = await db.select().from(contracts).where(eq(contracts.id, result.contractId));
    expect(row!.status).toBe('executed');
    const stored = await db.select().from(contractSignatures).where(eq(contractSignatures.contractId, result.contractId));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ partyDid: result.did, intent: 'sign', format: 'jws', signature: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]{86}$/) });
    expect(result.evidence.signatures).toEqual([expect.objectContaining({ format: 'jws', signature: stored[0]!.signature })]);
    // verifyEvidence ran in the page, and agrees with a run here.
    expect(result.verification.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.verification.checks.find((c) => c.check === 'signatures[0].signature')).toEqual({ check: 'signatures[0].signature', ok: true, detail: `EdDSA JWS signature by ${result.did}` });
    expect(await verifyEvidence(result.evidence)).toEqual(result.verification);
    // Only signatures left the page: the private key is in no request.
    expect(privateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.some((s) => s.startsWith('POST ') && s.includes('/signatures'))).toBe(true);
    expect(sent.filter((s) => s.toLowerCase().includes(privateKey))).toEqual([]);
  });
});

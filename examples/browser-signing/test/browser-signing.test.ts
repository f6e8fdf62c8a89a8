// The example as a user meets it, in real Chromium: the page is bundled by Vite, with @cms/sdk resolved
// through its package exports to the SDK's built `dist` (its browser build once it has one), served by a
// real CMS server from the server's own origin, and driven by clicking Run.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyEvidence } from '@cms/sdk';
import { CHROMIUM_ARGS, startTestServer, type TestServer } from '@cms/server/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sdkBrowserEntry, sdkDir } from './sdk-package.js';

// Found by the global setup (CMS_CHROMIUM_PATH, then /usr/bin/chromium); null: skipped, and it said so.
const CHROMIUM = inject('chromiumPath');
const exampleDir = join(import.meta.dirname, '..');
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

let outDir: string;
let moduleIds: string[];
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!CHROMIUM) return;
  outDir = mkdtempSync(join(tmpdir(), 'cms-browser-signing-'));
  const output = (await build({
    root: exampleDir,
    configFile: join(exampleDir, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  })) as Rolldown.RolldownOutput;
  moduleIds = output.output.flatMap((file) => (file.type === 'chunk' ? file.moduleIds : []));
  server = await startTestServer({ webDir: outDir });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** Everything the page sent, and everything that went wrong, while it was open. */
function watch(page: Page) {
  const sent: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) =>
    sent.push(`${r.method()} ${r.url()}\n${JSON.stringify(r.headers())}\n${r.postData() ?? ''}`),
  );
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.request().method()} ${r.url()}`));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  return { sent, problems };
}

/** Clicks Run and waits for the outcome; returns each step's status and text, and the outcome. */
async function run(page: Page) {
  await page.click('#run');
  await page.waitForSelector('#outcome[data-status="ok"], #outcome[data-status="failed"]');
  return page.evaluate(() => ({
    steps: Object.fromEntries(
      [...document.querySelectorAll<HTMLLIElement>('#steps li')].map((li) => [
        li.dataset.step,
        `${li.dataset.status} ${li.textContent}`,
      ]),
    ),
    outcome: document.querySelector<HTMLElement>('#outcome')!.dataset.status,
    contractId: document.querySelector<HTMLElement>('#outcome')!.dataset.contractId,
    evidence: document.querySelector('#evidence')!.textContent!,
  }));
}

describe.skipIf(!CHROMIUM)('the browser-signing example in Chromium', () => {
  it('logs in with a did:key made in the page, creates, signs and verifies a contract, and a reload keeps the key', async () => {
    const page = await browser.newPage();
    const { sent, problems } = watch(page);
    await page.goto(server.url);
    expect(await page.inputValue('#server')).toBe(server.url);

    const first = await run(page);
    const did = /^ok key: generated (did:key:z6Mk\w+)$/.exec(first.steps.key!)?.[1];
    expect(did).toBeDefined();
    expect(first).toMatchObject({
      outcome: 'ok',
      steps: {
        login: `ok login: logged in as ${did}`,
        create: expect.stringMatching(new RegExp(`^ok create: ${UUID} draft$`)),
        send: 'ok send: pending',
        sign: 'ok sign: executed',
        evidence: expect.stringMatching(/^ok evidence: 1 signature\(s\), \d+ event\(s\)$/),
        verify: expect.stringMatching(/^ok verify: valid: \d+ checks passed$/),
      },
    });
    expect(first.steps.create).toContain(first.contractId);

    // The bundle the page verified holds up here too, and it is the page's signature over its contract.
    const evidence = JSON.parse(first.evidence);
    expect(evidence.contract).toMatchObject({ id: first.contractId, status: 'executed' });
    expect(evidence.signatures).toEqual([
      expect.objectContaining({
        format: 'jws',
        payload: expect.objectContaining({ signer: did, intent: 'sign', contractId: first.contractId }),
      }),
    ]);
    const verification = await verifyEvidence(evidence);
    expect(verification.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verification.valid).toBe(true);

    // A reload signs as the same party, with the key the page stored.
    await page.reload();
    const second = await run(page);
    expect(second.steps.key).toBe(`ok key: loaded ${did}`);
    expect(second).toMatchObject({ outcome: 'ok', steps: { sign: 'ok sign: executed' } });
    expect(second.contractId).not.toBe(first.contractId);

    // Only signatures left the page: the private key is in no request, and nothing failed.
    const privateKey = await page.evaluate(() => localStorage.getItem('cms-example:did-key'));
    await page.close();
    expect(privateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.filter((s) => s.toLowerCase().includes(privateKey!))).toEqual([]);
    expect(sent.filter((s) => s.startsWith('POST ') && s.includes('/signatures'))).toHaveLength(2);
    expect(problems).toEqual([]);
  });

  it('bundles the SDK from its package exports (the built dist), not its sources', () => {
    const entry = sdkBrowserEntry();
    expect(entry.startsWith(join(sdkDir, 'dist'))).toBe(true);
    expect(moduleIds).toContain(entry);
    expect(moduleIds.filter((id) => id.startsWith(join(sdkDir, 'src')))).toEqual([]);
  });

  it('serves scripts with no Node built-in imports', async () => {
    const scripts = readdirSync(join(outDir, 'assets')).filter((file) => file.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const html = await (await fetch(server.url)).text();
    expect(html).toContain('./assets/');
    for (const file of scripts) {
      const response = await fetch(`${server.url}/assets/${file}`);
      expect(response.headers.get('content-type')).toMatch(/javascript/);
      const code = await response.text();
      expect(code).toBe(readFileSync(join(outDir, 'assets', file), 'utf8'));
      expect(code).not.toMatch(/\b(?:from|import)\s*\(?\s*["']node:|require\(\s*["']node:/);
      // What Vite puts in place of a Node built-in it had to drop from a browser bundle.
      expect(code).not.toContain('__vite-browser-external');
    }
  });
});

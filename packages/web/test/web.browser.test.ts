// The web UI in real Chromium against a real server with a real chain: the owner creates a template
// and, from it, a contract with an uploaded PDF and two parties and sends it; parties A and B see the PDF
// rendered and its hash recomputed and sign with their own browser-held keys (A with the keyboard alone);
// a fourth context, the owner's key imported from its encrypted backup, watches the list change live; the
// owner downloads the completed PDF, and it and the evidence bundle verify on the public /verify page.
// Every step is screenshotted to test-output/, every page scanned with axe, the budgets printed.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { loadConfig } from '@cms/server';
import { CHROMIUM_ARGS, findChromium, startTestServer, type TestServer, testEnclave } from '@cms/server/testing';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// CMS_CHROMIUM_PATH, then /usr/bin/chromium; none: one skip line on a developer's machine, a failure under CI.
const chromiumLookup = findChromium('the web UI browser test (packages/web)');
if (!chromiumLookup.found) console.log(chromiumLookup.skipLine);
const webDir = join(import.meta.dirname, '..');
const shotsDir = join(webDir, 'test-output');
const PASSPHRASE = 'correct horse battery';

let outDir: string;
let server: TestServer;
let browser: Browser;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const problems: string[] = [];
const axeFindings: string[] = [];
const shots: string[] = [];

beforeAll(async () => {
  if (!chromiumLookup.found) return;
  outDir = mkdtempSync(join(tmpdir(), 'cms-web-ui-'));
  await build({
    root: webDir,
    configFile: join(webDir, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  rmSync(shotsDir, { recursive: true, force: true });
  mkdirSync(shotsDir, { recursive: true });
  receiver = await startReceiver();
  server = await startTestServer({
    webDir: outDir,
    chain: { mode: 'embedded', confirmations: 1 },
    // Uploaded documents are encrypted under data keys from the enclave.
    enclave: testEnclave(),
    // Webhooks to the loopback receiver below, retried quickly.
    webhooks: {
      ...loadConfig({}).webhooks,
      allowHosts: ['127.0.0.1'],
      pollMs: 50,
      timeoutMs: 3000,
      retryScheduleMs: [0, 150, 150],
    },
  });
  browser = await chromium.launch({
    executablePath: chromiumLookup.executablePath,
    args: [...CHROMIUM_ARGS],
  });
});
afterAll(async () => {
  await receiver?.close();
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** A webhook receiver on loopback answering `status` (500 until the test says otherwise). */
async function startReceiver() {
  const state = { status: 500, hits: 0 };
  const http = createServer((req, res) => {
    req.resume().on('end', () => {
      state.hits++;
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  });
}

async function newUser(name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`${name} page error: ${error.message}`));
  page.on(
    'response',
    (r) => r.status() >= 500 && problems.push(`${name} ${r.status()} ${r.request().method()} ${r.url()}`),
  );
  return { context, page };
}

async function shot(page: Page, name: string) {
  const file = join(shotsDir, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  shots.push(file);
}

async function scan(page: Page, name: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations)
    if (v.impact === 'serious' || v.impact === 'critical')
      axeFindings.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function createKeyAndSignIn(page: Page): Promise<string> {
  await page.goto(`${server.url}/`);
  await page.waitForURL(/\/login/);
  await page.fill('input[name="new-passphrase"]', PASSPHRASE);
  await page.fill('input[name="confirm-passphrase"]', PASSPHRASE);
  await page.click('text=Create key and sign in');
  await page.waitForSelector('h1:text("Dashboard")');
  return (await page.getAttribute('[data-testid="current-did"]', 'title'))!;
}

/** Presses Tab until the focused element matches `selector` (keyboard-only operation). */
async function tabTo(page: Page, selector: string) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

const rowStatus = (page: Page, contractId: string) =>
  page.locator(`tr[data-contract-id="${contractId}"] [data-status]`);

describe.skipIf(!chromiumLookup.found)('the web UI in Chromium', () => {
  it('creates from a template, sends, two parties sign with browser keys, a watcher sees it live, /verify accepts the evidence', async () => {
    const owner = await newUser('owner');
    const ownerDid = await createKeyAndSignIn(owner.page);
    expect(ownerDid).toMatch(/^did:key:z6Mk/);
    await shot(owner.page, 'owner-dashboard');
    await scan(owner.page, 'dashboard');

    // The key is a non-extractable CryptoKey in IndexedDB.
    const stored = await owner.page.evaluate(
      () =>
        new Promise<{ kind: string; extractable: boolean; type: string }>((resolve, reject) => {
          const open = indexedDB.open('cms-web', 1);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction('identity').objectStore('identity').get('current');
            get.onsuccess = () =>
              resolve({
                kind: get.result.kind,
                extractable: get.result.privateKey.extractable,
                type: get.result.privateKey.type,
              });
          };
        }),
    );
    expect(stored).toEqual({ kind: 'webcrypto', extractable: false, type: 'private' });

    const a = await newUser('A');
    const aDid = await createKeyAndSignIn(a.page);
    const b = await newUser('B');
    const bDid = await createKeyAndSignIn(b.page);
    expect(new Set([ownerDid, aDid, bDid]).size).toBe(3);

    // The owner makes a template (body, schema, roles Client then Provider) and publishes it.
    await owner.page.click('nav >> text=Templates');
    await owner.page.waitForSelector('h2:text("New template")');
    await scan(owner.page, 'templates');
    await owner.page.fill('input[name="template-name"]', 'Services agreement');
    await shot(owner.page, 'owner-new-template');
    await owner.page.click('text=Create template');
    await owner.page.waitForSelector('text=Publish the draft');
    await owner.page.click('text=Publish the draft');
    await owner.page.waitForSelector('text=Draft is published');
    await shot(owner.page, 'owner-template-published');
    await scan(owner.page, 'template');

    // The watcher: the owner's key, imported in a fresh browser from the encrypted backup file.
    await owner.page.click('nav >> text=Settings');
    const [download] = await Promise.all([owner.page.waitForEvent('download'), owner.page.click('text=Export backup')]);
    const backupFile = join(outDir, 'owner-backup.json');
    await download.saveAs(backupFile);
    expect(readFileSync(backupFile, 'utf8')).not.toContain('"privateKey"');
    await scan(owner.page, 'settings');
    const watcher = await newUser('watcher');
    await watcher.page.goto(`${server.url}/contracts`);
    await watcher.page.waitForURL(/\/login\?next=%2Fcontracts/);
    await scan(watcher.page, 'login');
    await watcher.page.setInputFiles('input[name="backup"]', backupFile);
    await watcher.page.fill('input[name="backup-passphrase"]', PASSPHRASE);
    await watcher.page.click('text=Import and sign in');
    await watcher.page.waitForSelector('h1:text("Contracts")');
    expect(await watcher.page.getAttribute('[data-testid="current-did"]', 'title')).toBe(ownerDid);
    await watcher.page.waitForSelector('[data-live="live"]');

    // The wizard: template → a PDF uploaded (its hash shown) → variables form from the template's schema →
    // parties by DID → review, create and send.
    const sow = await PDFDocument.create();
    const font = await sow.embedFont(StandardFonts.Helvetica);
    sow.addPage([595, 842]).drawText('Statement of work: Berlin office fit-out', { x: 50, y: 780, size: 18, font });
    const sowFile = join(outDir, 'statement-of-work.pdf');
    const sowBytes = await sow.save();
    writeFileSync(sowFile, sowBytes);
    const sowSha256 = createHash('sha256').update(sowBytes).digest('hex');
    await owner.page.click('nav >> text=New contract');
    await owner.page.check('input[type="radio"] >> nth=1');
    await owner.page.click('button:text("Next")');
    await owner.page.setInputFiles('input[name="documents"]', sowFile);
    await owner.page.waitForSelector('[data-upload="stored"]');
    expect(await owner.page.textContent('[data-upload="stored"] code')).toBe(sowSha256);
    await shot(owner.page, 'owner-wizard-documents');
    await scan(owner.page, 'wizard documents');
    await owner.page.click('button:text("Next")');
    await owner.page.fill('input[name="city"]', 'Berlin');
    await shot(owner.page, 'owner-wizard-variables');
    await scan(owner.page, 'wizard');
    await owner.page.click('button:text("Next")');
    await owner.page.fill('input[name="role-Client-did"]', aDid);
    await owner.page.fill('input[name="role-Client-name"]', 'Alice');
    await owner.page.fill('input[name="role-Provider-did"]', bDid);
    await owner.page.fill('input[name="role-Provider-name"]', 'Bob');
    await owner.page.click('button:text("Next")');
    await shot(owner.page, 'owner-wizard-review');
    await owner.page.click('text=Create and send');
    await owner.page.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
    const contractId = owner.page.url().split('/').pop()!;
    await owner.page.waitForSelector('[data-testid="contract-status"] [data-status="pending"]');
    await shot(owner.page, 'owner-contract-sent');
    await scan(owner.page, 'contract');

    // Live, without a reload: the new contract appears in the watcher's list as sent.
    await expect
      .poll(() => rowStatus(watcher.page, contractId).getAttribute('data-status'), { timeout: 20_000 })
      .toBe('pending');
    await shot(watcher.page, 'watcher-sent');

    // A opens the deep link (a full page load of /contracts/<id>/sign) and signs with the keyboard alone.
    await a.page.goto(`${server.url}/contracts/${contractId}/sign`);
    await a.page.waitForSelector('[data-testid="hash-check"]:text("The hashes match")');
    // The PDF is fetched, its SHA-256 recomputed here, and rendered in the page by pdf.js (loaded lazily).
    await a.page.waitForSelector('[data-testid="document-hash-check"]');
    expect(await a.page.textContent('[data-testid="document-hash-check"] code')).toBe(sowSha256);
    await a.page.waitForSelector('canvas[data-pdf-page="1"]');
    await scan(a.page, 'sign');
    await shot(a.page, 'a-review');
    await tabTo(a.page, 'input[name="consent"]');
    await a.page.keyboard.press('Space');
    await tabTo(a.page, 'button[type="submit"]');
    await a.page.keyboard.press('Enter');
    await a.page.waitForSelector('[data-step="signature"][data-done="true"]');
    await shot(a.page, 'a-signed');
    await a.page.waitForSelector('[data-step="anchor"][data-done="true"]', { timeout: 30_000 });
    await shot(a.page, 'a-anchored');
    await expect
      .poll(() => rowStatus(watcher.page, contractId).getAttribute('data-status'), { timeout: 20_000 })
      .toBe('partially_signed');
    await shot(watcher.page, 'watcher-partially-signed');

    // B signs second (signing order 2) with the mouse.
    await b.page.goto(`${server.url}/contracts/${contractId}/sign`);
    await b.page.waitForSelector('[data-testid="hash-check"]:text("The hashes match")');
    await b.page.check('input[name="consent"]');
    await b.page.click('text=Sign with my browser key');
    await b.page.waitForSelector('[data-step="signature"][data-done="true"]');
    await shot(b.page, 'b-signed');
    await expect
      .poll(() => rowStatus(watcher.page, contractId).getAttribute('data-status'), { timeout: 20_000 })
      .toBe('executed');
    await shot(watcher.page, 'watcher-executed');

    // The owner's detail page changed live too; the evidence bundle downloads and verifies publicly, on chain.
    await owner.page.waitForSelector('[data-testid="contract-status"] [data-status="executed"]');
    await owner.page.waitForSelector('[data-ledger-status="confirmed"]', { timeout: 30_000 });
    await owner.page.click('text=View statement-of-work.pdf');
    await owner.page.waitForSelector('canvas[data-pdf-page="1"]');
    await shot(owner.page, 'owner-executed');
    const [evidence] = await Promise.all([
      owner.page.waitForEvent('download'),
      owner.page.click('text=Download evidence bundle'),
    ]);
    const evidenceFile = join(outDir, 'evidence.json');
    await evidence.saveAs(evidenceFile);
    expect(JSON.parse(readFileSync(evidenceFile, 'utf8')).contract).toMatchObject({
      id: contractId,
      status: 'executed',
    });
    const [completed] = await Promise.all([
      owner.page.waitForEvent('download'),
      owner.page.click('text=Download completed PDF'),
    ]);
    const completedFile = join(outDir, 'completed.pdf');
    await completed.saveAs(completedFile);
    const completedPdf = await PDFDocument.load(readFileSync(completedFile));
    // The uploaded page, then the certificate of completion.
    expect(completedPdf.getPageCount()).toBeGreaterThan(1);

    const visitor = await newUser('visitor');
    await visitor.page.goto(`${server.url}/verify`);
    await visitor.page.waitForSelector('input[name="rpc"]');
    await expect.poll(() => visitor.page.inputValue('input[name="ledger"]')).toMatch(/^0x[0-9a-fA-F]{40}$/);
    await scan(visitor.page, 'verify');
    await visitor.page.setInputFiles('input[name="bundle"]', evidenceFile);
    await visitor.page.click('button:text("Verify")');
    await visitor.page.waitForSelector('#verdict', { timeout: 30_000 });
    await shot(visitor.page, 'verify-result');
    expect(await visitor.page.textContent('#verdict')).toBe('Valid — checked on chain');
    expect(await visitor.page.getAttribute('#verdict', 'data-valid')).toBe('true');
    // The completed PDF verifies too: its evidence, and the attached original against the SHA-256 it names.
    await visitor.page.setInputFiles('input[name="bundle"]', completedFile);
    await visitor.page.click('button:text("Verify")');
    await visitor.page.waitForSelector('.checks li:text("pdf.documents[0]")', { timeout: 30_000 });
    expect(await visitor.page.textContent('#verdict')).toBe('Valid — checked on chain');
    expect(await visitor.page.getAttribute('.checks li:text("pdf.documents[0]")', 'class')).toBe('ok');
    await shot(visitor.page, 'verify-completed-pdf');

    // The organization: the owner invites B as an auditor; B opens the link, accepts with the browser key and
    // works in the owner's organization; the owner sees B among the members.
    await owner.page.click('nav >> text=Organization');
    await owner.page.waitForSelector('h2:text("Invitations")');
    const organizationName = (await owner.page.textContent('h1'))!.replace(/^Organization: /, '');
    await owner.page.fill('input[name="invite-did"]', bDid);
    await owner.page.selectOption('select[name="invite-role"]', 'auditor');
    await owner.page.click('button:text("Invite")');
    const invitation = owner.page.locator('[data-invitation]');
    await invitation.waitFor();
    const invitationId = await invitation.getAttribute('data-invitation');
    await scan(owner.page, 'organization');
    await shot(owner.page, 'owner-organization');
    await b.page.goto(`${server.url}/invitations/${invitationId}`);
    await b.page.waitForSelector(`button:text("Accept and join ${organizationName}")`);
    await scan(b.page, 'invitation');
    await b.page.click(`button:text("Accept and join ${organizationName}")`);
    await b.page.waitForSelector(`h1:text("Organization: ${organizationName}")`);
    // B also makes an organization of its own and works in it; the switcher lists all three.
    await b.page.fill('input[name="organization-name"]', 'B Studio');
    await b.page.click('button:text("Create and work in it")');
    await b.page.waitForSelector('h1:text("Organization: B Studio")');
    await expect.poll(() => b.page.locator('select[name="organization"] option').count()).toBe(3);
    await owner.page.reload();
    await expect
      .poll(() => owner.page.locator('tr', { hasText: bDid }).locator('select').inputValue(), { timeout: 10_000 })
      .toBe('auditor');

    // Webhooks: an endpoint on a receiver that fails at first; its ping is retried until it fails for good,
    // then retried by hand once the receiver answers, and delivered.
    await owner.page.click('nav >> text=Webhooks');
    await owner.page.fill('input[name="webhook-url"]', `${receiver.url}/hook`);
    await owner.page.click('button:text("Add endpoint")');
    await owner.page.waitForSelector('#secret');
    expect(await owner.page.textContent('#secret ~ p code')).toMatch(/^whsec_/);
    await owner.page.click('text=I have stored it');
    await owner.page.click('button:text("Send a test ping")');
    await owner.page.waitForSelector('[data-delivery-status="failed"]', { timeout: 20_000 });
    expect(receiver.hits).toBeGreaterThanOrEqual(1);
    await scan(owner.page, 'webhooks');
    receiver.status = 204;
    await owner.page.click('[data-delivery-status="failed"] >> text=Retry');
    await owner.page.waitForSelector('[data-delivery-status="delivered"]', { timeout: 20_000 });
    await shot(owner.page, 'owner-webhooks');

    // Audit: the log lists the organization's events, a filter narrows it, and the chain verifies.
    await owner.page.click('nav >> text=Audit');
    await owner.page.waitForSelector('tr[data-audit-action]');
    await owner.page.click('button:text("Verify chain")');
    await owner.page.waitForSelector('[data-testid="chain-result"][data-verified="true"]', { timeout: 20_000 });
    await scan(owner.page, 'audit');
    await shot(owner.page, 'owner-audit');
    await owner.page.fill('input[name="action"]', 'contract.sign');
    await owner.page.click('button:text("Filter")');
    await owner.page.waitForURL(/action=contract\.sign/);
    await expect
      .poll(async () => [
        ...new Set(
          await owner.page
            .locator('tr[data-audit-action]')
            .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-audit-action'))),
        ),
      ])
      .toEqual(['contract.sign']);

    // The enclave: a fresh attestation verified in the browser.
    await owner.page.click('nav >> text=Settings');
    await owner.page.click('button:text("Verify a fresh attestation")');
    await owner.page.waitForSelector('[data-testid="attestation-verified"]', { timeout: 20_000 });
    await scan(owner.page, 'settings (enclave)');

    // Phone width: the menu collapses behind a button and the page still scans clean.
    await watcher.page.setViewportSize({ width: 390, height: 844 });
    await watcher.page.click('text=Menu');
    await shot(watcher.page, 'phone-menu');
    await scan(watcher.page, 'contracts (phone)');

    // Dark theme.
    await owner.page.selectOption('#theme', 'dark');
    await shot(owner.page, 'owner-dark');
    await scan(owner.page, 'contract (dark)');

    // Budgets, printed (not asserted on timing): initial JS gzip, first contentful paint, interactive.
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    const gzip = initial.reduce((sum, file) => sum + gzipSync(readFileSync(join(outDir, file))).length, 0);
    const fresh = await newUser('budget');
    await fresh.page.goto(`${server.url}/verify`);
    await fresh.page.waitForSelector('input[name="rpc"]');
    const timing = await fresh.page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
      return {
        fcp: Math.round(fcp ?? -1),
        domInteractive: Math.round(nav.domInteractive),
        loaded: Math.round(nav.loadEventEnd),
      };
    });
    const verdict = gzip <= 200 * 1024 ? 'within' : 'OVER';
    console.log(
      `[web budgets] initial JS ${initial.length} file(s), ${(gzip / 1024).toFixed(1)} kB gzip, ${verdict} the 200 kB budget; FCP ${timing.fcp} ms, DOM interactive ${timing.domInteractive} ms, load ${timing.loaded} ms on localhost`,
    );
    // Lazy pages stay out of the initial load: none of the page chunks is preloaded by index.html.
    expect(initial.filter((file) => /Page-/.test(file))).toEqual([]);

    for (const file of shots) expect(statSync(file).size, file).toBeGreaterThan(5_000);
    expect(shots.length).toBeGreaterThanOrEqual(15);
    expect(axeFindings).toEqual([]);
    expect(problems).toEqual([]);
    for (const u of [owner, a, b, watcher, visitor, fresh]) await u.context.close();
  });
});

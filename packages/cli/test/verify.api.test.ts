// `cms verify <bundle.json>` on a real evidence bundle: a contract executed on a real server, anchored
// on its embedded chain; verified offline and on chain, tampered, and misused.

import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CmsClient, createCmsClient, didKeySigner, type EvidenceBundle, generateDidKey } from '@cms/sdk';
import { evidenceOfPdf, verifyCompletedPdf } from '@cms/sdk/pdf';
import { startTestServer, type TestServer } from '@cms/server/testing';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeToken } from './run-cli.js';

let server: TestServer;
let dir: string;
let bundleFile: string;
let rpcUrl: string;
let ledgerAddress: string;
let certificate: Uint8Array;
let contractId: string;
let client: CmsClient;
const env = () => ({ CMS_CONFIG_DIR: dir });

beforeAll(async () => {
  server = await startTestServer({ chain: { mode: 'embedded', confirmations: 1 } });
  dir = await tempDir();
  const key = await generateDidKey();
  const signer = await didKeySigner(key.privateKey);
  const cms = createCmsClient({ baseUrl: server.url });
  const token = await cms.auth.login(signer);
  // The same account for the CLI (its stored credentials for this server).
  await mkdir(join(dir, 'credentials'), { recursive: true });
  await writeToken(dir, server.url, token);
  client = cms;
  // The author signs its own contract: one party, one signature, every change anchored.
  const draft = await cms.contracts.create({
    title: 'Verified from the command line',
    terms: { rate: 99 },
    parties: [{ did: key.did, role: 'signer' }],
  });
  await cms.contracts.send(draft.id);
  await cms.contracts.sign(draft.id, { signer });
  let bundle!: EvidenceBundle;
  for (let i = 0; i < 300; i++) {
    bundle = await cms.contracts.evidence(draft.id);
    if (bundle.anchors.length === 3 && bundle.anchors.every((a) => a.status === 'confirmed')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(bundle.anchors.map((a) => a.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
  bundleFile = join(dir, 'bundle.json');
  await writeFile(bundleFile, JSON.stringify(bundle, null, 2));
  rpcUrl = server.services.ledger.embedded!.url;
  ledgerAddress = bundle.anchors[0]!.ledgerAddress!;
  contractId = draft.id;
  certificate = await cms.contracts.completedPdf(draft.id, { certificate: true });
});
afterAll(() => server?.close());

describe('cms verify <bundle.json>', () => {
  it('checks everything on chain and exits 0, printing each check', async () => {
    const r = await runCli(['verify', bundleFile, '--rpc-url', rpcUrl, '--ledger-address', ledgerAddress], env());
    expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^ok {4}bundle\.shape +cms\.evidence\.v1$/m);
    expect(r.stdout).toMatch(/^ok {4}signatures\[0\]\.signature +EdDSA JWS signature by did:key:/m);
    expect(r.stdout).toMatch(/^ok {4}anchors\[2\]\.transaction +Anchored\(0x[0-9a-f]{8}…\) in block \d+$/m);
    expect(r.stdout).toContain(
      `chain: anchors checked on chain through ${new URL(rpcUrl).origin} against ledger ${ledgerAddress}`,
    );
    expect(r.stdout).toMatch(/^valid: all \d+ checks passed$/m);

    const json = await runCli(
      ['verify', bundleFile, '--rpc-url', rpcUrl, '--ledger-address', ledgerAddress, '--require-anchors', '--json'],
      env(),
    );
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ file: bundleFile, valid: true, chainChecked: true });
    expect(result.checks.find((c: { check: string }) => c.check === 'anchors.coverage')).toEqual({
      check: 'anchors.coverage',
      ok: true,
      detail: '3 of 3 changes anchored',
    });
  });

  it('verifies offline without a node, and reads stdin', async () => {
    const r = await runCli(['verify', '-'], env(), { stdin: await readFile(bundleFile, 'utf8') });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'chain: not checked (pass --rpc-url and --ledger-address to check the anchors on chain)',
    );
    expect(r.stdout).not.toContain('anchors[0].onChain');
  });

  it('exits 1 naming the failed checks when the bundle was changed, or the ledger is not the one trusted', async () => {
    const tampered = JSON.parse(await readFile(bundleFile, 'utf8')) as EvidenceBundle;
    tampered.contract.content.terms = { rate: 100 };
    const file = join(dir, 'tampered.json');
    await writeFile(file, JSON.stringify(tampered));
    const r = await runCli(['verify', file], env());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^FAIL {2}contract\.contentHash +the content hashes to 0x[0-9a-f]{64}, not 0x[0-9a-f]{64}$/m,
    );
    expect(r.stdout).toMatch(/^INVALID: 1 of \d+ checks failed$/m);
    expect(r.stderr).toMatch(
      /^error: The evidence does not verify: 1 of \d+ checks failed \(contract\.contentHash\)\. \(code evidence_invalid\)$/m,
    );

    const elsewhere = await runCli(
      [
        'verify',
        bundleFile,
        '--rpc-url',
        rpcUrl,
        '--ledger-address',
        '0x0000000000000000000000000000000000000001',
        '--json',
      ],
      env(),
    );
    expect(elsewhere.code).toBe(1);
    const failed = JSON.parse(elsewhere.stdout)
      .checks.filter((c: { ok: boolean }) => !c.ok)
      .map((c: { check: string }) => c.check);
    expect(failed).toEqual(
      expect.arrayContaining(['anchors[0].ledger', 'anchors[0].onChain', 'anchors[0].transaction']),
    );
    expect(JSON.parse(elsewhere.stderr)).toMatchObject({ error: { code: 'evidence_invalid' } });
  });

  it('refuses a chain check without a trusted ledger, and files it cannot read', async () => {
    const noLedger = await runCli(['verify', bundleFile, '--rpc-url', rpcUrl], env());
    expect(noLedger).toMatchObject({ code: 2, stdout: '' });
    expect(noLedger.stderr).toContain(
      '--ledger-address: checking on chain needs the address of the ledger contract you trust',
    );
    const missing = await runCli(['verify', join(dir, 'nope.json')], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    await writeFile(join(dir, 'not.json'), 'hello');
    expect((await runCli(['verify', join(dir, 'not.json')], env())).stderr).toContain('is not JSON');
  });
});

describe('cms verify <contract.pdf>', () => {
  it('downloads the completed PDF and the certificate with `cms contracts pdf`, and verifies what it wrote', async () => {
    const cli = { ...env(), CMS_SERVER: server.url };
    const out = join(dir, 'completed.pdf');
    const r = await runCli(['contracts', 'pdf', contractId, '--out', out, '--json'], cli);
    expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    const written = new Uint8Array(await readFile(out));
    expect(written).toEqual(await client.contracts.completedPdf(contractId));
    expect(JSON.parse(r.stdout)).toMatchObject({ size: written.byteLength, out });
    expect((await stat(out)).mode & 0o777).toBe(0o644);
    const cert = await runCli(['contracts', 'pdf', contractId, '--certificate', '--out', '-'], cli);
    expect(cert.code).toBe(0);
    expect(cert.stdout.startsWith('%PDF-')).toBe(true);
    const checked = await runCli(['verify', out, '--rpc-url', rpcUrl, '--ledger-address', ledgerAddress], env());
    expect(checked, checked.stderr).toMatchObject({ code: 0 });
    expect(checked.stdout).toMatch(/^valid: all \d+ checks passed$/m);

    // A contract not yet executed has none: the problem's code, and the conflict exit code.
    const draft = await client.contracts.create({ title: 'Not yet', terms: {}, parties: [] });
    const refused = await runCli(['contracts', 'pdf', draft.id, '--out', join(dir, 'none.pdf')], cli);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('contract_not_executed');
  });

  it('verifies the evidence bundle a certificate of completion attaches, offline and on chain', async () => {
    const file = join(dir, 'certificate.pdf');
    await writeFile(file, certificate);
    const r = await runCli(['verify', file, '--rpc-url', rpcUrl, '--ledger-address', ledgerAddress], env());
    expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^ok {4}bundle\.shape +cms\.evidence\.v1$/m);
    expect(r.stdout).toMatch(/^valid: all \d+ checks passed$/m);
    // The attachment is the bundle GET /evidence serves.
    expect(JSON.parse((await evidenceOfPdf(certificate))!)).toEqual(JSON.parse(await readFile(bundleFile, 'utf8')));
    expect(await verifyCompletedPdf(certificate)).toMatchObject({ valid: true });
  });

  it('fails when one byte of the attached bundle was changed, and on a PDF without one', async () => {
    const text = (await evidenceOfPdf(certificate))!;
    const at = text.indexOf('Verified from the command line') + 1;
    const flipped = new TextEncoder().encode(text);
    flipped[at] = flipped[at]! ^ 0x01;
    // The certificate's pages with the changed bundle attached in place of the original.
    const tampered = await PDFDocument.create();
    const source = await PDFDocument.load(certificate);
    for (const page of await tampered.copyPages(source, source.getPageIndices())) tampered.addPage(page);
    await tampered.attach(flipped, 'evidence.json', { mimeType: 'application/json' });
    const file = join(dir, 'tampered.pdf');
    await writeFile(file, await tampered.save());
    const r = await runCli(['verify', file], env());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}contract\.contentHash /m);
    expect(r.stderr).toContain('(code evidence_invalid)');
    expect((await verifyCompletedPdf(await tampered.save())).valid).toBe(false);

    const bare = join(dir, 'bare.pdf');
    const empty = await PDFDocument.create();
    empty.addPage();
    await writeFile(bare, await empty.save());
    const none = await runCli(['verify', bare], env());
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('has no readable evidence bundle: the PDF has no evidence.json attachment');
  });
});

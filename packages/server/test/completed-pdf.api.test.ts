// The certificate of completion and the completed PDF over HTTP: rendered (poppler's pdftoppm) and read
// back (pdftotext, pdfdetach) by tools that are not pdf-lib; the attached evidence is the bundle GET
// /evidence answers; the completed PDF holds the original's pages and the original itself; both are
// deterministic, 409 before execution and 404 to another tenant. Needs a chain (anvil) for the anchors.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { type DidSigner, didKeySigner, didPkhFromAddress } from '@cms/sdk';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForAnchor } from '../src/ledger/wait-for-anchor.js';
import { startTestServer, type TestServer, testEnclave } from '../src/testing/start-test-server.js';
import { clientOf, loggedInClient, request } from './api-helpers.js';
import { uploadTestFile } from './support/upload-test-file.js';

const dir = mkdtempSync(join(tmpdir(), 'cms-completed-pdf-'));
let server: TestServer;
let owner: Awaited<ReturnType<typeof loggedInClient>>;
let alice: Awaited<ReturnType<typeof loggedInClient>> & { didSigner: DidSigner };
const bobAccount = privateKeyToAccount(generatePrivateKey());
const bobDid = didPkhFromAddress(bobAccount.address);
const bob = { client: undefined as unknown as ReturnType<typeof clientOf> };

beforeAll(async () => {
  server = await startTestServer({
    enclave: testEnclave(),
    files: { driver: 'local', dir: join(dir, 'files'), maxBytes: 1024 * 1024 },
    chain: { mode: 'embedded', confirmations: 1 },
  });
  owner = await loggedInClient(server.url);
  const a = await loggedInClient(server.url);
  alice = { ...a, didSigner: await didKeySigner(a.key.privateKey) };
  bob.client = clientOf(server.url);
  await bob.client.auth.login(bobAccount);
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function twoPagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of ['Statement of work, page one', 'Statement of work, page two']) {
    doc.addPage([595, 842]).drawText(text, { x: 50, y: 780, size: 18, font });
  }
  return doc.save();
}

/** A contract with a PDF document, signed by a did:key (JWS) and a did:pkh (EIP-712) party to executed. */
async function executedContract(original: Uint8Array | undefined) {
  const token = owner.client.auth.accessToken!;
  const file = original && (await uploadTestFile(server.url, token, original, 'application/pdf'));
  const documents = file ? [{ name: 'sow.pdf', sha256: file.sha256, size: file.size, mediaType: file.mediaType }] : [];
  const created = await owner.client.contracts.create({
    title: 'Consulting agreement',
    parties: [
      { did: alice.key.did, role: 'signer', name: 'Alice Example', signingOrder: 1 },
      { did: bobDid, role: 'signer', name: 'Bob Example', signingOrder: 2 },
    ],
    documents,
  });
  await owner.client.contracts.send(created.id);
  await alice.client.contracts.sign(created.id, { signer: alice.didSigner });
  const executed = await bob.client.contracts.sign(created.id, { signer: bobAccount });
  expect(executed.status).toBe('executed');
  return executed;
}

async function download(path: string, token = owner.client.auth.accessToken!, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

function tool(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', timeout: 20_000 });
}

/** Writes `bytes` to a fresh file of the test's directory. */
function saved(name: string, bytes: Uint8Array): string {
  const path = join(mkdtempSync(join(dir, 'out-')), name);
  writeFileSync(path, bytes);
  return path;
}

/** The attachments of a PDF by name, as pdfdetach (poppler) extracts them. */
function attachments(pdf: string): Map<string, Buffer> {
  const out = mkdtempSync(join(dir, 'detach-'));
  tool('pdfdetach', ['-saveall', '-o', out, pdf]);
  return new Map(readdirSync(out).map((name) => [name, readFileSync(join(out, name))]));
}

/** Grey levels of a PNG (8-bit grey, RGB or RGBA, not interlaced): the unfiltered samples. */
function pngSamples(png: Buffer): Uint8Array {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[12]]).toEqual([8, 0]); // bit depth 8, not interlaced
      channels = { 0: 1, 2: 3, 6: 4 }[data[9]!]!;
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      out[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  return out;
}

/** The share of a rendered page's samples that are not white. */
function inkOf(pdf: string, page: number): number {
  const prefix = join(mkdtempSync(join(dir, 'png-')), 'page');
  tool('pdftoppm', ['-png', '-r', '50', '-f', String(page), '-l', String(page), '-singlefile', pdf, prefix]);
  const samples = pngSamples(readFileSync(`${prefix}.png`));
  return samples.filter((v) => v < 200).length / samples.length;
}

describe('certificate of completion and completed PDF', () => {
  it('prints the parties, hashes and anchors, embeds the evidence, and keeps the original pages', async () => {
    const original = await twoPagePdf();
    const contract = await executedContract(original);
    const token = owner.client.auth.accessToken!;
    // The last event (the execution) anchored: the certificate then names its transaction.
    const evidenceBefore = await owner.client.contracts.evidence(contract.id);
    const last = evidenceBefore.events.at(-1)!;
    expect((await waitForAnchor(server.services, last.id, { timeoutMs: 20_000 }))?.status).toBe('confirmed');
    const evidence = await request(server.url, 'GET', `/v1/contracts/${contract.id}/evidence`, { token });
    const anchor = (evidence.json.anchors as { auditEventId: string; transactionHash: string; chainId: number }[]).find(
      (a) => a.auditEventId === last.id,
    )!;
    expect(anchor.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);

    const certificate = await download(`/v1/contracts/${contract.id}/certificate.pdf`);
    expect(certificate.res.status).toBe(200);
    expect(certificate.res.headers.get('content-type')).toBe('application/pdf');
    expect(certificate.res.headers.get('cache-control')).toBe('private, no-cache');
    const certPath = saved('certificate.pdf', certificate.bytes);
    const certPages = (await PDFDocument.load(certificate.bytes)).getPageCount();
    expect(certPages).toBeGreaterThanOrEqual(1);
    expect(inkOf(certPath, 1)).toBeGreaterThan(0.005);

    const text = tool('pdftotext', ['-layout', certPath, '-']);
    for (const s of [
      'Certificate of completion',
      contract.id,
      contract.contentHash,
      alice.key.did,
      bobDid,
      'Alice Example',
      'Bob Example',
      'JWS',
      'EIP-712',
      anchor.transactionHash,
      `chain id ${anchor.chainId}`,
      `${server.services.publicUrl()}/contracts/${contract.id}`,
      sha256(original),
    ]) {
      expect(text, s).toContain(s);
    }
    for (const e of evidence.json.events as { action: string; hash: string }[]) expect(text).toContain(e.hash);

    // The attachment is the bundle GET /evidence answers, byte for byte.
    const certAttachments = attachments(certPath);
    expect([...certAttachments.keys()]).toEqual(['evidence.json']);
    expect(certAttachments.get('evidence.json')!.toString('utf8')).toBe(evidence.text);

    const completed = await download(`/v1/contracts/${contract.id}/completed.pdf`);
    expect(completed.res.status).toBe(200);
    const completedPath = saved('completed.pdf', completed.bytes);
    expect((await PDFDocument.load(completed.bytes)).getPageCount()).toBe(2 + certPages);
    expect(tool('pdftotext', ['-f', '2', '-l', '2', completedPath, '-'])).toContain('Statement of work, page two');
    expect(inkOf(completedPath, 3)).toBeGreaterThan(0.005);
    const completedAttachments = attachments(completedPath);
    expect(completedAttachments.get('evidence.json')!.toString('utf8')).toBe(evidence.text);
    expect(sha256(completedAttachments.get('sow.pdf')!)).toBe(sha256(original));

    // Deterministic: the same state gives the same bytes, and the ETag revalidates. A party gets the same.
    const again = await download(`/v1/contracts/${contract.id}/completed.pdf`, alice.client.auth.accessToken!);
    expect(sha256(again.bytes)).toBe(sha256(completed.bytes));
    const notModified = await download(`/v1/contracts/${contract.id}/certificate.pdf`, token, {
      'if-none-match': certificate.res.headers.get('etag')!,
    });
    expect(notModified.res.status).toBe(304);
  });

  it('is the certificate alone for a contract without a PDF, and rebuilds the same bytes when not cached', async () => {
    const contract = await executedContract(undefined);
    const certificate = await download(`/v1/contracts/${contract.id}/certificate.pdf`);
    const completed = await download(`/v1/contracts/${contract.id}/completed.pdf`);
    expect(completed.res.status).toBe(200);
    const pages = (await PDFDocument.load(certificate.bytes)).getPageCount();
    expect((await PDFDocument.load(completed.bytes)).getPageCount()).toBe(pages);
    expect([...attachments(saved('completed.pdf', completed.bytes)).keys()]).toEqual(['evidence.json']);
    // Built again from the bundle it embeds (no cache involved): byte for byte the same.
    const { buildCertificatePdf } = await import('../src/evidence/completion-certificate.js');
    const bundleJson = attachments(saved('certificate.pdf', certificate.bytes)).get('evidence.json')!.toString('utf8');
    const rebuilt = await buildCertificatePdf({
      bundle: JSON.parse(bundleJson),
      bundleJson,
      publicUrl: server.services.publicUrl(),
    });
    expect(sha256(rebuilt)).toBe(sha256(certificate.bytes));
  });

  it('answers 409 contract_not_executed before execution and 404 to another tenant', async () => {
    const token = owner.client.auth.accessToken!;
    const draft = await owner.client.contracts.create({
      title: 'Not yet',
      parties: [{ did: alice.key.did, role: 'signer' }],
    });
    for (const path of ['certificate.pdf', 'completed.pdf']) {
      const res = await request(server.url, 'GET', `/v1/contracts/${draft.id}/${path}`, { token });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json).toMatchObject({ code: 'contract_not_executed' });
    }
    await owner.client.contracts.send(draft.id);
    const sent = await request(server.url, 'GET', `/v1/contracts/${draft.id}/certificate.pdf`, {
      token: alice.client.auth.accessToken!,
    });
    expect(sent.json).toMatchObject({ code: 'contract_not_executed' });

    const executed = await executedContract(undefined);
    const outsider = await loggedInClient(server.url);
    for (const path of ['certificate.pdf', 'completed.pdf']) {
      const res = await request(server.url, 'GET', `/v1/contracts/${executed.id}/${path}`, {
        token: outsider.client.auth.accessToken!,
      });
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ code: 'not_found' });
    }
  });
});

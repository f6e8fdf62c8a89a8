// Documents through the SDK against a real server (with its enclave, which encrypts every blob): uploads
// hashed by the SDK, a contract referencing one, a party in another organization downloading it with its
// hash checked, and a proxy in front of the server that flips a byte of every file it passes on: the SDK
// refuses those bytes, and `contracts.sign` refuses to sign unless told not to check the documents.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CmsIntegrityError,
  CmsNotFoundError,
  CmsValidationError,
  createCmsClient,
  type TransferProgress,
} from '@cms/sdk';
import { samplePdf, startTestServer, type TestServer, testEnclave } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DidKeyUser, didKeyUser, errorOf } from './users.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let server: TestServer;
let proxy: Server;
let proxyUrl: string;
let dir: string;
let owner: DidKeyUser, alice: DidKeyUser, bob: DidKeyUser;

/** Forwards every request to the server; flips the last byte of the body of every file download. */
function tamperingProxy(target: string): Server {
  return createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
        headers.set(name, value);
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      ...(chunks.length && { body: Buffer.concat(chunks) }),
    });
    const body = new Uint8Array(await upstream.arrayBuffer());
    const isFile = req.method === 'GET' && /^\/v1\/(files|contracts\/[^/]+\/documents)\/[0-9a-f]{64}$/.test(req.url!);
    if (isFile && upstream.ok && body.length) body[body.length - 1]! ^= 0x01;
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!['content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) out[name] = value;
    });
    out['content-length'] = String(body.length);
    res.writeHead(upstream.status, out).end(body);
  });
}

beforeAll(async () => {
  server = await startTestServer({ enclave: testEnclave() });
  [owner, alice, bob] = await Promise.all([didKeyUser(server.url), didKeyUser(server.url), didKeyUser(server.url)]);
  proxy = tamperingProxy(server.url);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'cms-sdk-files-'));
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The same user, calling through the tampering proxy with its current access token. */
const throughProxy = (user: DidKeyUser) =>
  createCmsClient({ baseUrl: proxyUrl, accessToken: user.client.auth.accessToken!, maxRetries: 0 });

describe('files', () => {
  it('uploads from a path, bytes or a Blob (hashed here, deduplicated) and downloads with the hash checked', async () => {
    const pdf = await samplePdf('Statement of work');
    const path = join(dir, 'sow.pdf');
    await writeFile(path, pdf);
    const uploads: TransferProgress[] = [];
    const stored = await owner.client.files.upload(path, {
      mediaType: 'application/pdf',
      onProgress: (p) => uploads.push(p),
    });
    expect(stored).toEqual({
      sha256: sha256(pdf),
      size: pdf.length,
      mediaType: 'application/pdf',
      createdAt: expect.any(String),
    });
    expect(uploads).toEqual([
      { loaded: 0, total: pdf.length },
      { loaded: pdf.length, total: pdf.length },
    ]);
    // The same bytes again, as bytes, an ArrayBuffer or a Blob: the stored file, nothing new.
    expect(await owner.client.files.upload(pdf)).toEqual(stored);
    expect(await owner.client.files.upload(pdf.slice().buffer)).toEqual(stored);
    expect(await owner.client.files.upload(new Blob([pdf as BlobPart], { type: 'application/pdf' }))).toEqual(stored);

    const downloads: TransferProgress[] = [];
    const bytes = await owner.client.files.download(stored.sha256, { onProgress: (p) => downloads.push(p) });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(bytes).equals(Buffer.from(pdf))).toBe(true);
    expect(downloads[0]).toEqual({ loaded: 0, total: pdf.length });
    expect(downloads.at(-1)).toEqual({ loaded: pdf.length, total: pdf.length });

    const text = await owner.client.files.upload(new TextEncoder().encode('# Annex\n\nPlain terms.\n'), {
      mediaType: 'text/markdown',
    });
    expect(text.mediaType).toBe('text/plain');
  });

  it('passes the server refusals on as typed errors', async () => {
    const pdf = await samplePdf('Not a PNG');
    const wrongType = await errorOf(owner.client.files.upload(pdf, { mediaType: 'image/png' }));
    expect(wrongType).toBeInstanceOf(CmsValidationError);
    expect(wrongType).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    const missing = await errorOf(owner.client.files.download('ab'.repeat(32)));
    expect(missing).toBeInstanceOf(CmsNotFoundError);
    expect(missing).toMatchObject({ status: 404, code: 'file_not_found' });
    // A file of another organization is not there for alice.
    const stored = await owner.client.files.upload(pdf);
    expect(await errorOf(alice.client.files.download(stored.sha256))).toMatchObject({ code: 'file_not_found' });
  });

  it('refuses downloaded bytes that do not hash to the SHA-256 asked for', async () => {
    const pdf = await samplePdf('Tampered in transit');
    const stored = await owner.client.files.upload(pdf);
    const error = await errorOf(throughProxy(owner).files.download(stored.sha256));
    expect(error).toBeInstanceOf(CmsIntegrityError);
    expect(error).toMatchObject({
      code: 'file_hash_mismatch',
      status: undefined,
      docsPath: 'docs/sdk.md#errors-raised-by-the-sdk',
    });
  });
});

describe('documents of contracts', () => {
  it('a party downloads them checked; sign checks every one, and signs unchecked only when told', async () => {
    const pdf = await samplePdf('Master services agreement');
    const annex = new TextEncoder().encode('Annex A: rates\n');
    const [main, rates] = [await owner.client.files.upload(pdf), await owner.client.files.upload(annex)];
    const created = await owner.client.contracts.create({
      title: 'MSA with documents',
      parties: [
        { did: alice.did, role: 'signer', signingOrder: 1 },
        { did: bob.did, role: 'signer', signingOrder: 1 },
      ],
      documents: [
        { name: 'msa.pdf', sha256: main.sha256, mediaType: 'application/pdf', size: main.size },
        { name: 'annex-a.txt', sha256: rates.sha256 },
      ],
    });
    await owner.client.contracts.send(created.id);

    // Alice is in another organization: she reaches the files only as documents of the contract.
    const progress: TransferProgress[] = [];
    const got = await alice.client.contracts.document(created.id, main.sha256, { onProgress: (p) => progress.push(p) });
    expect(Buffer.from(got).equals(Buffer.from(pdf))).toBe(true);
    expect(progress.at(-1)).toEqual({ loaded: pdf.length, total: pdf.length });
    expect(await errorOf(alice.client.contracts.document(created.id, sha256(Buffer.from('other'))))).toMatchObject({
      code: 'file_not_found',
    });

    const tampered = throughProxy(alice);
    const wrongBytes = await errorOf(tampered.contracts.document(created.id, main.sha256));
    expect(wrongBytes).toMatchObject({ name: 'CmsIntegrityError', code: 'file_hash_mismatch' });

    const refused = await errorOf(tampered.contracts.sign(created.id, { signer: alice.signer }));
    expect(refused).toBeInstanceOf(CmsIntegrityError);
    expect(refused).toMatchObject({ code: 'file_hash_mismatch', message: expect.stringContaining('"msa.pdf"') });
    const unsigned = await alice.client.contracts.get(created.id);
    expect(unsigned.status).toBe('pending');
    expect(unsigned.parties.find((p) => p.did === alice.did)?.status).not.toBe('signed');

    // Opted out: the documents are not downloaded, so the tampering proxy cannot stop the signature.
    const signed = await tampered.contracts.sign(created.id, { signer: alice.signer, verifyDocuments: false });
    expect(signed.status).toBe('partially_signed');
    // Straight to the server, every document checks out and bob signs.
    expect((await bob.client.contracts.sign(created.id, { signer: bob.signer })).status).toBe('executed');
  });
});

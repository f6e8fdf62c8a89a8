// Files over HTTP: upload (streamed, checked, encrypted at rest, deduplicated per organization),
// download with ETag and ranges, documents of contracts for their parties, and bad input that leaves
// nothing stored: no row, no data key, no blob. On the `local` driver, or on a real S3-compatible server
// when `CMS_TEST_FILE_STORAGE=s3` (the integration run).
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataKeys, files } from '../src/db/schema/index.js';
import { removeUnreferencedFiles } from '../src/files/remove-unreferenced-files.js';
import { samplePdf, startTestServer, type TestServer, testEnclave } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';
import { startTestFileStorage, type TestFileStorage } from './support/test-file-storage.js';

const MAX = 256 * 1024;
let storage: TestFileStorage;
let server: TestServer;
let alice: Awaited<ReturnType<typeof loggedInClient>>;
let bob: Awaited<ReturnType<typeof loggedInClient>>;

beforeAll(async () => {
  storage = await startTestFileStorage(MAX);
  server = await startTestServer({ enclave: testEnclave(), files: storage.config });
  alice = await loggedInClient(server.url);
  bob = await loggedInClient(server.url);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await storage?.close();
});

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const digest = (hex: string) => `sha-256=:${Buffer.from(hex, 'hex').toString('base64')}:`;

function upload(
  bytes: Uint8Array | ReadableStream<Uint8Array>,
  o: { token?: string; type?: string; digest?: string } = {},
) {
  const headers: Record<string, string> = { authorization: `Bearer ${o.token ?? alice.client.auth.accessToken}` };
  if (o.type) headers['content-type'] = o.type;
  if (o.digest !== undefined) headers['content-digest'] = o.digest;
  else if (bytes instanceof Uint8Array) headers['content-digest'] = digest(sha256(bytes));
  return fetch(`${server.url}/v1/files`, {
    method: 'POST',
    headers,
    body: bytes as BodyInit,
    ...(bytes instanceof ReadableStream && { duplex: 'half' }),
  } as RequestInit);
}

const download = (path: string, headers: Record<string, string> = {}, token = alice.client.auth.accessToken) =>
  fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

async function storedState() {
  const db = server.services.database.db;
  return {
    rows: (await db.select().from(files)).length,
    keys: (await db.select().from(dataKeys).where(eq(dataKeys.purpose, 'file'))).length,
    // Files on disk (temp files included), or objects in the bucket.
    blobs: (await storage.blobs()).length,
  };
}

describe('upload and download', () => {
  it('stores a PDF once per organization, encrypted, and serves it with ETag, length and ranges', async () => {
    const pdf = await samplePdf();
    const hash = sha256(pdf);
    const first = await upload(pdf, { type: 'application/pdf' });
    expect(first.status).toBe(201);
    const body = await first.json();
    expect(body).toEqual({
      sha256: hash,
      size: pdf.length,
      mediaType: 'application/pdf',
      createdAt: expect.any(String),
    });
    expect(first.headers.get('etag')).toBe(`"${hash}"`);

    const again = await upload(pdf);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(body);
    expect(await storedState()).toMatchObject({ rows: 1, keys: 1, blobs: 1 });

    // At rest: ciphertext (0600 on disk), not one run of the plaintext in it.
    const [blob] = await storage.blobs();
    expect(blob!.key).toMatch(new RegExp(`^[0-9a-f-]{36}/${hash}\\.[0-9a-f-]{36}$`));
    if (storage.driver === 'local') expect(blob!.mode).toBe(0o600);
    const stored = blob!.bytes;
    expect(stored.includes(Buffer.from(pdf).subarray(0, 64))).toBe(false);
    expect(stored.includes(Buffer.from('Statement'))).toBe(false);

    const whole = await download(`/v1/files/${hash}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    expect(whole.headers.get('content-length')).toBe(String(pdf.length));
    expect(whole.headers.get('cache-control')).toMatch(/^private, .*immutable/);
    expect(whole.headers.get('etag')).toBe(`"${hash}"`);
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(Buffer.from(pdf));

    const part = await download(`/v1/files/${hash}`, { range: 'bytes=5-104' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 5-104/${pdf.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(Buffer.from(pdf.subarray(5, 105)));
    const tail = await download(`/v1/files/${hash}`, { range: 'bytes=-10' });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(Buffer.from(pdf.subarray(pdf.length - 10)));

    const beyond = await download(`/v1/files/${hash}`, { range: `bytes=${pdf.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${pdf.length}`);
    expect((await beyond.json()).code).toBe('range_not_satisfiable');

    const cached = await download(`/v1/files/${hash}`, { 'if-none-match': `"${hash}"` });
    expect(cached.status).toBe(304);

    // Another organization uploads the same bytes: its own row, key and blob.
    expect((await upload(pdf, { token: bob.client.auth.accessToken })).status).toBe(201);
    expect(await storedState()).toMatchObject({ rows: 2, keys: 2, blobs: 2 });
  });

  it('accepts text and Markdown by their bytes, and streams a body without Content-Length', async () => {
    const md = Buffer.from('# Terms\n\nPayment within 30 days. €\n');
    const res = await upload(
      new ReadableStream({
        start(c) {
          c.enqueue(md.subarray(0, 3));
          c.enqueue(md.subarray(3));
          c.close();
        },
      }),
      { type: 'text/markdown', digest: digest(sha256(md)) },
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ mediaType: 'text/plain', size: md.length });
    const back = await download(`/v1/files/${sha256(md)}`);
    expect(back.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await back.text()).toBe(md.toString());
  });
});

describe('bad input leaves nothing stored', () => {
  const refused = async (res: Response, status: number, code: string) => {
    const before = await storedState();
    expect({ status: res.status, code: (await res.json()).code }).toEqual({ status, code });
    expect(await storedState()).toEqual(before);
  };

  it('refuses oversized bodies, declared or streamed, without storing them', async () => {
    const before = await storedState();
    const big = Buffer.alloc(MAX + 1, 0x41);
    const declared = await upload(big, { type: 'text/plain' });
    expect({ status: declared.status, code: (await declared.json()).code }).toEqual({
      status: 413,
      code: 'payload_too_large',
    });
    // Streamed with no length: refused once the limit is crossed (the rest is never read).
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent > 4 * MAX) return c.close();
        sent += 16 * 1024;
        c.enqueue(Buffer.alloc(16 * 1024, 0x41));
      },
    });
    const streamed = await upload(stream, { type: 'text/plain', digest: digest('00'.repeat(32)) }).catch(
      (e: Error) => e,
    );
    if (streamed instanceof Response) expect(streamed.status).toBe(413);
    expect(await storedState()).toEqual(before);
  });

  it('refuses a body whose SHA-256 is not the Content-Digest, and a missing digest', async () => {
    const pdf = await samplePdf('digest');
    await refused(await upload(pdf, { digest: digest(sha256(Buffer.from('other'))) }), 422, 'digest_mismatch');
    await refused(await upload(pdf, { digest: '' }), 422, 'validation_failed');
    await refused(await upload(pdf, { digest: 'sha-256=:abc:' }), 422, 'validation_failed');
  });

  it('decides the media type by the bytes: forged and unsupported types are 415', async () => {
    await refused(await upload(await samplePdf('forged'), { type: 'image/png' }), 415, 'unsupported_media_type');
    await refused(await upload(Buffer.from('MZ\x90\x00\x03\x00\x00\x00binary')), 415, 'unsupported_media_type');
    await refused(await upload(Buffer.from('text, then a NUL \u0000 byte')), 415, 'unsupported_media_type');
  });

  it('refuses malformed and encrypted PDFs as invalid_pdf', async () => {
    await refused(await upload(Buffer.from('%PDF-1.7\nnot really a PDF\n')), 422, 'invalid_pdf');
    const good = await samplePdf('truncated');
    await refused(await upload(good.subarray(0, 40)), 422, 'invalid_pdf');
    const doc = await PDFDocument.create();
    doc.addPage();
    doc.context.trailerInfo.Encrypt = doc.context.obj({
      Filter: PDFName.of('Standard'),
      V: 1,
      R: 2,
      O: '',
      U: '',
      P: -4,
    });
    await refused(await upload(await doc.save({ useObjectStreams: false })), 422, 'invalid_pdf');
  });

  it('answers path-like hashes and another organization’s files as not found or invalid, never the bytes', async () => {
    const text = Buffer.from(`alice only ${Date.now()}\n`);
    expect((await upload(text)).status).toBe(201);
    const other = await download(`/v1/files/${sha256(text)}`, {}, bob.client.auth.accessToken);
    expect(other.status).toBe(404);
    expect((await other.json()).code).toBe('file_not_found');
    for (const path of ['/v1/files/..%2F..%2Fetc%2Fpasswd', `/v1/files/${'A'.repeat(64)}`, '/v1/files/abc']) {
      const res = await download(path);
      expect([404, 422], path).toContain(res.status);
      expect(res.headers.get('content-type'), path).toBe('application/problem+json');
    }
  });
});

describe('documents of contracts', () => {
  it('must be uploaded with the size and media type the contract names; parties download them', async () => {
    const pdf = await samplePdf('contract document');
    const hash = sha256(pdf);
    expect((await upload(pdf)).status).toBe(201);
    const token = alice.client.auth.accessToken;
    const create = (documents: unknown) =>
      request(server.url, 'POST', '/v1/contracts', {
        token,
        body: { title: 'With a document', parties: [{ did: bob.key.did, role: 'signer' }], documents },
      });
    const missing = await create([{ name: 'x.pdf', sha256: 'ab'.repeat(32) }]);
    expect(missing.status).toBe(422);
    expect(missing.json).toMatchObject({
      code: 'invalid_reference',
      errors: [{ path: '/body/documents/0/sha256', message: expect.stringContaining('no file') }],
    });
    const wrongSize = await create([{ name: 'x.pdf', sha256: hash, size: pdf.length + 1 }]);
    expect(wrongSize.json).toMatchObject({ code: 'invalid_reference', errors: [{ path: '/body/documents/0/size' }] });
    const wrongType = await create([{ name: 'x.pdf', sha256: hash, mediaType: 'image/png' }]);
    expect(wrongType.json).toMatchObject({
      code: 'invalid_reference',
      errors: [{ path: '/body/documents/0/mediaType' }],
    });

    const ok = await create([{ name: 'sow.pdf', sha256: hash, size: pdf.length, mediaType: 'application/pdf' }]);
    expect(ok.status).toBe(201);
    const update = await request(server.url, 'PATCH', `/v1/contracts/${ok.json.id}`, {
      token,
      body: { documents: [{ name: 'gone.pdf', sha256: 'cd'.repeat(32) }] },
    });
    expect(update.json).toMatchObject({ code: 'invalid_reference' });

    // Bob (a party, of another organization) reads it through the contract, not through /v1/files.
    const viaContract = await download(
      `/v1/contracts/${ok.json.id}/documents/${hash}`,
      {},
      bob.client.auth.accessToken,
    );
    expect(viaContract.status).toBe(200);
    expect(Buffer.from(await viaContract.arrayBuffer())).toEqual(Buffer.from(pdf));
    const notADocument = await download(
      `/v1/contracts/${ok.json.id}/documents/${sha256(Buffer.from('x'))}`,
      {},
      bob.client.auth.accessToken,
    );
    expect(notADocument.status).toBe(404);
    const outsider = await loggedInClient(server.url);
    const denied = await download(
      `/v1/contracts/${ok.json.id}/documents/${hash}`,
      {},
      outsider.client.auth.accessToken,
    );
    expect(denied.status).toBe(404);
  });
});

describe('unreferenced files', () => {
  it('are removed (row, data key, blob) once old enough; files a contract names stay', async () => {
    const token = alice.client.auth.accessToken;
    const kept = await samplePdf('named by a contract');
    const replaced = await samplePdf('replaced in the draft');
    const stray = Buffer.from('uploaded, never used\n');
    for (const [bytes, type] of [
      [kept, 'application/pdf'],
      [replaced, 'application/pdf'],
      [stray, 'text/plain'],
    ] as const)
      expect((await upload(bytes, { type })).status).toBe(201);
    const draft = await request(server.url, 'POST', '/v1/contracts', {
      token,
      body: {
        title: 'Cleanup',
        parties: [{ did: bob.key.did, role: 'signer' }],
        documents: [{ name: 'a.pdf', sha256: sha256(replaced) }],
      },
    });
    expect(draft.status).toBe(201);
    const edited = await request(server.url, 'PATCH', `/v1/contracts/${draft.json.id}`, {
      token,
      body: { documents: [{ name: 'b.pdf', sha256: sha256(kept) }] },
    });
    expect(edited.status).toBe(200);

    const cleanup = (uploadedBefore: Date) =>
      removeUnreferencedFiles({ db: server.services.database.db, storage: server.services.files }, { uploadedBefore });
    // Not old enough: nothing goes.
    const before = await storedState();
    expect(await cleanup(new Date(Date.now() - 3_600_000))).toEqual([]);
    expect(await storedState()).toEqual(before);

    const removed = await cleanup(new Date(Date.now() + 1000));
    const gone = [sha256(replaced), sha256(stray)];
    // Earlier tests' uploads no contract names go too; every removed blob is one of the unreferenced ones.
    for (const hash of gone) expect(removed.some((key) => key.includes(`/${hash}.`))).toBe(true);
    expect(removed.some((key) => key.includes(`/${sha256(kept)}.`))).toBe(false);
    const after = await storedState();
    expect(after).toEqual({
      rows: before.rows - removed.length,
      keys: before.keys - removed.length,
      blobs: before.blobs - removed.length,
    });
    for (const hash of gone) expect((await download(`/v1/files/${hash}`)).status).toBe(404);
    const still = await download(`/v1/files/${sha256(kept)}`);
    expect(Buffer.from(await still.arrayBuffer())).toEqual(Buffer.from(kept));
    // Uploading it again stores it again.
    expect((await upload(stray, { type: 'text/plain' })).status).toBe(201);
  });
});

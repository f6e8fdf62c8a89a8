// The client side of files without a server: the Content-Digest the server parses (RFC 9530), what an
// upload sends, and the hash check of a download (the real server's side is in packages/sdk-tests).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCmsClient } from '../client.js';
import { CmsIntegrityError } from '../errors.js';
import { contentDigestOf, sha256OfBytes } from './files.js';

const hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('files, client side', () => {
  it('hashes with WebCrypto and writes the Content-Digest the server reads', async () => {
    const bytes = new TextEncoder().encode('hello');
    expect(await sha256OfBytes(bytes)).toBe(hex(bytes));
    expect(contentDigestOf(hex(bytes))).toBe(`sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`);
  });

  it('uploads the bytes with their digest and type, and refuses downloaded bytes of another hash', async () => {
    const bytes = new TextEncoder().encode('Plain terms\n');
    const seen: Request[] = [];
    const fetch = async (request: Request) => {
      seen.push(request.clone());
      if (request.method === 'POST')
        return Response.json(
          { sha256: hex(bytes), size: bytes.length, mediaType: 'text/plain', createdAt: '2026-01-01T00:00:00.000Z' },
          { status: 201 },
        );
      return new Response(new TextEncoder().encode('Plain terms!\n'), { status: 200 });
    };
    const cms = createCmsClient({
      baseUrl: 'http://cms.test',
      accessToken: 't',
      fetch: fetch as typeof globalThis.fetch,
    });
    await cms.files.upload(bytes, { mediaType: 'text/markdown' });
    const [upload] = seen;
    expect(upload!.headers.get('content-digest')).toBe(contentDigestOf(hex(bytes)));
    expect(upload!.headers.get('content-type')).toBe('text/markdown');
    expect(new Uint8Array(await upload!.arrayBuffer())).toEqual(bytes);

    const error = await cms.files.download(hex(bytes)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CmsIntegrityError);
    expect(error).toMatchObject({ code: 'file_hash_mismatch', status: undefined });
  });
});

// GET of a file's bytes: decrypted chunk by chunk as the response streams, with its ETag, length,
// one byte range, and `Cache-Control: private, immutable` (a file's bytes never change under its hash).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { files } from '../db/schema/index.js';
import type { Enclave } from '../enclave/client/enclave-service.js';
import { contextAad, openDataKey } from '../enclave/data-keys/stored-data-keys.js';
import { noneMatchHits } from '../http/conditional-get.js';
import { parseByteRange } from './byte-range.js';
import { decryptRange } from './chunked-cipher.js';
import type { FileStorage } from './file-storage.js';
import { blobIdOf, type FileRow, fileContext } from './file-view.js';
import { missingFile } from './upload-file.js';

export const FILE_CACHE_CONTROL = 'private, max-age=31536000, immutable';

/** The organization's file `sha256`, or `file_not_found`. */
export async function findFile(db: Db, organizationId: string, sha256: string): Promise<FileRow> {
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.organizationId, organizationId), eq(files.sha256, sha256)));
  if (!row) throw missingFile(sha256);
  return row;
}

export async function sendFile(
  deps: { db: Db; enclave: Enclave; storage: FileStorage },
  row: FileRow,
  headers: { 'if-none-match'?: string; range?: string },
): Promise<Response> {
  const etag = `"${row.sha256}"`;
  const common = { etag, 'cache-control': FILE_CACHE_CONTROL, 'accept-ranges': 'bytes' };
  if (noneMatchHits(headers['if-none-match'], etag)) return new Response(null, { status: 304, headers: common });
  const range = parseByteRange(headers.range, row.size);
  const start = range?.start ?? 0;
  const end = range?.end ?? row.size - 1;
  const key = await openDataKey(deps.db, deps.enclave, row.organizationId, row.dataKeyId);
  const aad = contextAad(fileContext(row.organizationId, row.sha256, blobIdOf(row)));
  const plain = decryptRange(
    key,
    aad,
    row.size,
    (offset, length) => deps.storage.blobs.read(row.blobKey, offset, length),
    start,
    end,
  );
  // The first bytes are read before the status line goes out: a store that is away answers 503, not a broken 200.
  const first = await plain.next();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.done) controller.close();
      else controller.enqueue(first.value);
    },
    async pull(controller) {
      const next = await plain.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await plain.return(undefined);
    },
  });
  return new Response(body, {
    status: range ? 206 : 200,
    headers: {
      ...common,
      'content-type': row.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : row.mediaType,
      'content-length': String(end - start + 1),
      ...(range && { 'content-range': `bytes ${start}-${end}/${row.size}` }),
    },
  });
}

/** A whole stored file, decrypted into memory (for documents the server itself reads, e.g. the completed PDF). */
export async function readFileBytes(
  deps: { db: Db; enclave: Enclave; storage: FileStorage },
  row: FileRow,
): Promise<Uint8Array> {
  const key = await openDataKey(deps.db, deps.enclave, row.organizationId, row.dataKeyId);
  const aad = contextAad(fileContext(row.organizationId, row.sha256, blobIdOf(row)));
  const out = new Uint8Array(row.size);
  let offset = 0;
  if (row.size === 0) return out;
  for await (const chunk of decryptRange(
    key,
    aad,
    row.size,
    (at, length) => deps.storage.blobs.read(row.blobKey, at, length),
    0,
    row.size - 1,
  )) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

// `cms.files`: documents stored by the server, addressed by the SHA-256 of their bytes (docs/documents.md).
// Uploads are hashed here and sent with that hash as `Content-Digest`, so the server stores exactly these
// bytes; downloads are hashed here too and refused (`CmsIntegrityError`, code `file_hash_mismatch`) when
// the bytes are not the ones their hash names: nothing the server or a proxy changed is ever returned.
import { readFileBytes } from '#platform';
import { bytesToHex } from '../bytes.js';
import { CmsIntegrityError } from '../errors.js';
import type { components } from '../generated/schema.js';
import type { RequestOptions } from '../transport/request-options.js';
import type { Api } from './api.js';

export type StoredFile = components['schemas']['StoredFile'];
/** What `files.upload` takes: bytes, a `Blob` (a browser `File`), or in Node the path of a local file. */
export type FileData = Blob | Uint8Array | ArrayBuffer | string;

/** How far a transfer is: bytes so far, and the whole size when known (`Content-Length`). */
export interface TransferProgress {
  loaded: number;
  total: number | undefined;
}

export interface UploadOptions extends RequestOptions {
  /**
   * `Content-Type` to send: `application/pdf`, `image/png`, `image/jpeg`, `text/plain`, `text/markdown`.
   * The server decides the type by the bytes and refuses (415) a type they contradict.
   * @default 'application/octet-stream' (the bytes decide)
   */
  mediaType?: string;
  /**
   * Called once the bytes are read and hashed (`loaded: 0`) and once the server has stored them
   * (`loaded: total`): `fetch` cannot report a request body's progress while it is sent.
   */
  onProgress?: (progress: TransferProgress) => void;
}

export interface DownloadOptions extends RequestOptions {
  /** Called as the bytes arrive; `total` is the `Content-Length`. */
  onProgress?: (progress: TransferProgress) => void;
}

export interface FileResources {
  /**
   * Uploads a document (PDF, PNG, JPEG, or UTF-8 text / Markdown, at most 25 MiB by default) to your
   * organization. Hashes it here (SHA-256) and sends the hash as `Content-Digest`; uploading a file the
   * organization already has stores nothing new and answers the same `StoredFile`.
   * @example
   * const file = await cms.files.upload('./nda.pdf'); // Node; browsers pass a File or bytes
   * await cms.contracts.create({ title: 'NDA', documents: [{ name: 'nda.pdf', sha256: file.sha256 }] });
   */
  upload(data: FileData, options?: UploadOptions): Promise<StoredFile>;
  /**
   * The bytes of a file of your organization, checked against `sha256` before they are returned
   * (`CmsIntegrityError` with code `file_hash_mismatch` otherwise). Parties of a contract in another
   * organization use `contracts.document(contractId, sha256)`.
   */
  download(sha256: string, options?: DownloadOptions): Promise<Uint8Array>;
}

/** Lower-case hex SHA-256 of some bytes (WebCrypto: Node and browsers). */
export async function sha256OfBytes(bytes: Uint8Array): Promise<string> {
  return bytesToHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

/** `Content-Digest` (RFC 9530) of a hex SHA-256: `sha-256=:<base64>:`. */
export function contentDigestOf(sha256Hex: string): string {
  let bin = '';
  for (let i = 0; i < sha256Hex.length; i += 2)
    bin += String.fromCharCode(Number.parseInt(sha256Hex.slice(i, i + 2), 16));
  return `sha-256=:${btoa(bin)}:`;
}

async function bytesOf(data: FileData): Promise<Uint8Array> {
  if (typeof data === 'string') return readFileBytes(data);
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (typeof Blob !== 'undefined' && data instanceof Blob) return new Uint8Array(await data.arrayBuffer());
  throw new TypeError('files.upload: expected a Blob, Uint8Array, ArrayBuffer or (in Node) a file path');
}

/** The error of a download whose bytes do not hash to the SHA-256 they were asked for. */
export function fileHashMismatch(expected: string, actual: string): CmsIntegrityError {
  return new CmsIntegrityError(`The downloaded bytes hash to ${actual}, not the ${expected} asked for; refused.`, {
    code: 'file_hash_mismatch',
  });
}

/**
 * GETs the bytes at a files or documents endpoint, reporting progress, and returns them only when they
 * hash to `sha256`.
 */
export async function downloadVerified(
  { unwrap }: Api,
  sha256: string,
  request: Promise<{ data?: ReadableStream<Uint8Array> | null; error?: unknown; response: Response }>,
  options: DownloadOptions | undefined,
): Promise<Uint8Array> {
  const result = await request;
  // A refusal (404, 401, …) becomes the same typed error as from any other call.
  if (!result.response.ok) return unwrap(Promise.resolve({ error: result.error, response: result.response }));
  const header = result.response.headers.get('content-length');
  const total = header === null ? undefined : Number(header);
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  options?.onProgress?.({ loaded, total });
  const reader = result.data?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    options?.onProgress?.({ loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  const actual = await sha256OfBytes(bytes);
  if (actual !== sha256.toLowerCase()) throw fileHashMismatch(sha256, actual);
  return bytes;
}

export function createFileResources(api: Api): FileResources {
  const { raw, unwrap, call } = api;
  return {
    async upload(data, options) {
      const bytes = await bytesOf(data);
      const sha256 = await sha256OfBytes(bytes);
      options?.onProgress?.({ loaded: 0, total: bytes.byteLength });
      const file = await unwrap(
        raw.POST('/v1/files', {
          params: { header: { 'Content-Digest': contentDigestOf(sha256) } },
          headers: { 'Content-Type': options?.mediaType ?? 'application/octet-stream' },
          body: bytes as unknown as string,
          bodySerializer: (body: unknown) => body as BodyInit,
          ...call(options),
        }),
      );
      options?.onProgress?.({ loaded: bytes.byteLength, total: bytes.byteLength });
      return file;
    },
    download: (sha256, options) =>
      downloadVerified(
        api,
        sha256,
        raw.GET('/v1/files/{sha256}', { params: { path: { sha256 } }, parseAs: 'stream', ...call(options) }),
        options,
      ),
  };
}

// One interface for every blob store driver (`CMS_FILE_STORAGE`): `local` (a directory) and `s3` (any
// S3-compatible object store). Blobs are ciphertext written once under a key the server builds,
// `<organization id>/<sha256>.<blob id>`; a put is all or nothing, so an interrupted upload leaves no blob.

/** Keys are built by the server, never from a request; drivers check them so a bug cannot escape the store. */
export const BLOB_KEY = /^[0-9a-f-]{36}\/[0-9a-f]{64}\.[0-9a-f-]{36}$/;

export interface BlobStore {
  /** `local` or `s3`, for readiness details. */
  readonly driver: 'local' | 's3';
  /** Stores `source` under `key`, atomically: an error from `source` or the store leaves nothing under `key`. */
  put(key: string, source: AsyncIterable<Uint8Array>): Promise<void>;
  /** `length` bytes at `offset` of the blob. */
  read(key: string, offset: number, length: number): Promise<Uint8Array>;
  /** Removes the blob; a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Resolves when the store answers (readiness). */
  ping(): Promise<void>;
}

/** The store cannot be reached or answered with a server error: the request that needs it is retryable (503). */
export class BlobStoreUnavailableError extends Error {
  override name = 'BlobStoreUnavailableError';
}

export function assertBlobKey(key: string): string {
  if (!BLOB_KEY.test(key)) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
  return key;
}

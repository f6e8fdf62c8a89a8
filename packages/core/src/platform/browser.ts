// Browsers' platform pieces: no client header (a custom header would force a CORS preflight on every
// GET, and User-Agent cannot be set), and no file storage or file paths.
import type { TokenStorage } from '../auth/token-storage.js';

export const clientHeaders = (): Record<string, string> => ({});

/** Node only: in browsers use `webStorageTokenStorage` or the default memory storage. */
export function fileTokenStorage(_path: string): TokenStorage {
  throw new TypeError(
    'fileTokenStorage is only available in Node; in browsers use webStorageTokenStorage() or the default memory storage',
  );
}

/** Node only: in browsers pass `files.upload` a `Blob` (a `File` from an `<input type="file">`) or bytes. */
export function readFileBytes(_path: string): Promise<Uint8Array> {
  return Promise.reject(
    new TypeError(
      'files.upload(path) is only available in Node; in browsers pass a Blob/File, Uint8Array or ArrayBuffer',
    ),
  );
}

// Browsers' platform pieces: no client header (a custom header would force a CORS preflight on every
// GET, and User-Agent cannot be set), and no file storage.
import type { TokenStorage } from '../auth/token-storage.js';

export const clientHeaders = (): Record<string, string> => ({});

/** Node only: in browsers use `webStorageTokenStorage` or the default memory storage. */
export function fileTokenStorage(_path: string): TokenStorage {
  throw new TypeError(
    'fileTokenStorage is only available in Node; in browsers use webStorageTokenStorage() or the default memory storage',
  );
}

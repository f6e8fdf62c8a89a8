// Node's platform pieces: an identifying client header, a token file with owner-only permissions, and
// reading a local file for `files.upload(path)`.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuthToken, TokenStorage } from '../auth/token-storage.js';
import { SDK_VERSION } from '../version.js';

/** `cms-sdk/<version> node/<version>`, in `X-Cms-Client`: the User-Agent stays the runtime's. */
export const clientHeaders = (): Record<string, string> => ({
  'x-cms-client': `cms-sdk/${SDK_VERSION} node/${process.versions.node}`,
});

/**
 * Keeps tokens in a JSON file created with mode 0600 (owner read/write only), replaced atomically on
 * every change and deleted on logout. Node only.
 * @example
 * createCmsClient({ baseUrl, tokenStorage: fileTokenStorage(`${os.homedir()}/.config/my-app/cms-token.json`) });
 */
export function fileTokenStorage(path: string): TokenStorage {
  return {
    async get() {
      try {
        return JSON.parse(await readFile(path, 'utf8')) as AuthToken;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
        throw error;
      }
    },
    async set(token) {
      if (token === undefined) return rm(path, { force: true });
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      // A new file with owner-only permissions, renamed over the old one: never readable by others, never half written.
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(token), { mode: 0o600 });
      await rename(temporary, path);
    },
  };
}

/** The bytes of the file at `path` (`files.upload(path)`). */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  const buffer = await readFile(path);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

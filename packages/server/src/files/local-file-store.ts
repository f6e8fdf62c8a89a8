// The embedded blob store: one file per blob under a directory (`<CMS_DATA_DIR>/files`). Writes go to a
// temp file that is fsynced and renamed into place, so a crash or an interrupted upload never leaves a
// partial blob under its final name. Blobs are 0600: they are ciphertext, but still nobody else's.
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const KEY = /^[0-9a-f-]{36}\/[0-9a-f]{64}\.[0-9a-f-]{36}$/;

export interface LocalFileStore {
  /** Stores `source` under `key` (`<organization id>/<sha256>.<blob id>`), atomically. */
  put(key: string, source: AsyncIterable<Uint8Array>): Promise<void>;
  /** `length` bytes at `offset` of the blob. */
  read(key: string, offset: number, length: number): Promise<Uint8Array>;
  delete(key: string): Promise<void>;
}

export function localFileStore(root: string): LocalFileStore {
  // Keys are built by the server, never from a request; the check keeps a bug from writing outside `root`.
  const pathOf = (key: string) => {
    if (!KEY.test(key)) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
    return join(root, key);
  };
  return {
    async put(key, source) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const temp = `${path}.${randomUUID()}.tmp`;
      const file = await open(temp, 'wx', 0o600);
      try {
        for await (const chunk of source) await file.write(chunk);
        await file.sync();
      } catch (error) {
        await file.close();
        await rm(temp, { force: true });
        throw error;
      }
      await file.close();
      await rename(temp, path);
    },
    async read(key, offset, length) {
      const file = await open(pathOf(key), 'r');
      try {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await file.read(buffer, 0, length, offset);
        if (bytesRead !== length) throw new Error(`blob ${key} is shorter than expected`);
        return buffer;
      } finally {
        await file.close();
      }
    },
    delete: (key) => rm(pathOf(key), { force: true }),
  };
}

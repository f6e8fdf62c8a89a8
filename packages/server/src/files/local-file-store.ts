// The embedded blob store: one file per blob under a directory (`<CMS_DATA_DIR>/files`). Writes go to a
// temp file that is fsynced and renamed into place, so a crash or an interrupted upload never leaves a
// partial blob under its final name. Blobs are 0600: they are ciphertext, but still nobody else's.
import { randomUUID } from 'node:crypto';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertBlobKey, type BlobStore } from './blob-store.js';

export function localFileStore(root: string): BlobStore {
  const pathOf = (key: string) => join(root, assertBlobKey(key));
  return {
    driver: 'local',
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
    async ping() {
      await mkdir(root, { recursive: true, mode: 0o700 });
      await access(root);
    },
  };
}

// The files domain's runtime: the blob store (one driver behind one interface) and the upload limit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FilesConfig } from '../config.js';
import type { BlobStore } from './blob-store.js';
import { localFileStore } from './local-file-store.js';
import { s3FileStore } from './s3-file-store.js';

export type { BlobStore } from './blob-store.js';

export interface FileStorage {
  blobs: BlobStore;
  /** `CMS_FILE_MAX_BYTES`. */
  maxBytes: number;
  close(): Promise<void>;
}

/** Opens the configured driver; `local` without a directory keeps blobs in a temporary one removed on close. */
export function openFileStorage(config: FilesConfig): FileStorage {
  if (config.driver === 's3') {
    const blobs = s3FileStore(config.s3);
    return { blobs, maxBytes: config.maxBytes, close: async () => blobs.close() };
  }
  const temp = config.dir ? undefined : mkdtempSync(join(tmpdir(), 'cms-files-'));
  return {
    blobs: localFileStore(config.dir ?? temp!),
    maxBytes: config.maxBytes,
    close: async () => {
      if (temp) rmSync(temp, { recursive: true, force: true });
    },
  };
}

// The files domain's runtime: the blob store (one driver behind one interface) and the upload limit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FilesConfig } from '../config.js';
import { type LocalFileStore, localFileStore } from './local-file-store.js';

/** Where encrypted blobs live; keys are `<organization id>/<sha256>.<blob id>`. */
export type BlobStore = LocalFileStore;

export interface FileStorage {
  blobs: BlobStore;
  /** `CMS_FILE_MAX_BYTES`. */
  maxBytes: number;
  close(): Promise<void>;
}

/** Opens the configured driver; without a directory, blobs go to a temporary one removed on close. */
export function openFileStorage(config: FilesConfig): FileStorage {
  const temp = config.dir ? undefined : mkdtempSync(join(tmpdir(), 'cms-files-'));
  return {
    blobs: localFileStore(config.dir ?? temp!),
    maxBytes: config.maxBytes,
    close: async () => {
      if (temp) rmSync(temp, { recursive: true, force: true });
    },
  };
}

// Versioned key-encryption keys (AES-256), generated inside the enclave and kept in `<dataDir>/keks.json`
// (0600). The current version wraps new data keys; older versions only unwrap until they are retired,
// which destroys the key material (the version stays listed, so its objects fail clearly).
// Enclaves sharing a data directory pick up another one's rotation: the file is re-read when it was
// rewritten (checked at most every `reloadIntervalMs`, and at once for an unknown version).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KekInfo } from '../protocol/operations.js';
import { EnclaveError } from './enclave-error.js';
import { createPrivateFile, fileStamp, readJsonFile, writePrivateFile } from './private-files.js';

interface KekFile {
  current: number;
  keks: { version: number; key: string | null; createdAt: string; retiredAt: string | null }[];
}

export interface KekRing {
  current(): { version: number; key: Buffer };
  /** The key of `version`; `not_found` when it never existed or was retired. */
  key(version: number): Buffer;
  rotate(): number;
  retire(version: number): void;
  list(): KekInfo[];
}

export const KEK_FILE = 'keks.json';

export function openKekRing(dataDir: string, options: { reloadIntervalMs?: number; now?: () => number } = {}): KekRing {
  const path = join(dataDir, KEK_FILE);
  const now = options.now ?? Date.now;
  const reloadIntervalMs = options.reloadIntervalMs ?? 5000;
  if (!existsSync(path)) {
    const first: KekFile = {
      current: 1,
      keks: [
        {
          version: 1,
          key: randomBytes(32).toString('base64'),
          createdAt: new Date(now()).toISOString(),
          retiredAt: null,
        },
      ],
    };
    createPrivateFile(path, JSON.stringify(first));
  }
  let file = readJsonFile<KekFile>(path);
  let loadedStamp = fileStamp(path);
  let lastCheck = now();
  const cache = new Map<number, Buffer>();

  const reload = (force: boolean) => {
    if (!force && now() - lastCheck < reloadIntervalMs) return;
    lastCheck = now();
    const m = fileStamp(path);
    if (m === loadedStamp) return;
    file = readJsonFile<KekFile>(path);
    loadedStamp = m;
    cache.clear();
  };
  const save = (next: KekFile) => {
    writePrivateFile(path, JSON.stringify(next));
    file = next;
    loadedStamp = fileStamp(path);
    cache.clear();
  };
  const keyOf = (version: number): Buffer | undefined => {
    const cached = cache.get(version);
    if (cached) return cached;
    const entry = file.keks.find((k) => k.version === version);
    if (!entry?.key) return undefined;
    const key = Buffer.from(entry.key, 'base64');
    cache.set(version, key);
    return key;
  };

  return {
    current() {
      reload(false);
      return { version: file.current, key: keyOf(file.current)! };
    },
    key(version) {
      reload(false);
      let key = keyOf(version);
      if (!key) {
        reload(true);
        key = keyOf(version);
      }
      if (!key) {
        const retired = file.keks.some((k) => k.version === version);
        throw new EnclaveError(
          'not_found',
          retired ? `KEK version ${version} has been retired` : `no KEK version ${version}`,
        );
      }
      return key;
    },
    rotate() {
      reload(true);
      const version = Math.max(...file.keks.map((k) => k.version)) + 1;
      save({
        current: version,
        keks: [
          ...file.keks,
          {
            version,
            key: randomBytes(32).toString('base64'),
            createdAt: new Date(now()).toISOString(),
            retiredAt: null,
          },
        ],
      });
      return version;
    },
    retire(version) {
      reload(true);
      const entry = file.keks.find((k) => k.version === version);
      if (!entry) throw new EnclaveError('not_found', `no KEK version ${version}`);
      if (version === file.current)
        throw new EnclaveError('forbidden', `KEK version ${version} is current; rotate first`);
      if (!entry.key) return;
      save({
        ...file,
        keks: file.keks.map((k) =>
          k.version === version ? { ...k, key: null, retiredAt: new Date(now()).toISOString() } : k,
        ),
      });
    },
    list() {
      reload(true);
      return file.keks.map((k) => ({
        version: k.version,
        state: k.key === null ? 'retired' : k.version === file.current ? 'current' : 'decrypt-only',
        createdAt: k.createdAt,
        retiredAt: k.retiredAt,
      }));
    },
  };
}

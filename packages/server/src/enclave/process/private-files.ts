// The enclave's own files: a 0700 directory and 0600 files written atomically (temp file + rename), so
// a crash never leaves a half-written key file and no other OS user can read one.
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

export function writePrivateFile(path: string, content: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  renameSync(temp, path);
}

/** Creates `path` only when it does not exist yet (another enclave sharing the directory may win). */
export function createPrivateFile(path: string, content: string | Uint8Array): boolean {
  try {
    writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

export function readJsonFile<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * What identifies one written version of `path`: inode, size and nanosecond mtime/ctime. An mtime alone
 * is not enough: two writes within the filesystem's timestamp granularity leave it unchanged, while
 * every atomic rewrite (temp file + rename) brings a new inode.
 */
export function fileStamp(path: string): string | undefined {
  const s = statSync(path, { throwIfNoEntry: false, bigint: true });
  return s && `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

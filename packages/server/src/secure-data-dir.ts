// The data directory (`CMS_DATA_DIR`: database, keys, chain state) is readable by this user only:
// directories 0700, files 0600. New files get it from the process umask (PostgreSQL in PGlite creates
// its own files 0600; the embedded chain inherits the umask); what already exists (a database unpacked
// from PGlite's template, files of an older version) is tightened by a walk at start.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Creates `dir` (0700) if needed and makes files created from now on private to this user. */
export function prepareDataDir(dir: string): void {
  try {
    process.umask(0o077);
  } catch {
    // Worker threads cannot change the umask; `tightenDataDir` still fixes what exists at start.
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Removes group and other permissions from everything under `dir`; returns how many entries it changed. */
export function tightenDataDir(dir: string): number {
  let changed = 0;
  const visit = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    const wanted = stat.isDirectory() ? 0o700 : stat.mode & 0o700;
    if ((stat.mode & 0o777) !== wanted) {
      chmodSync(path, wanted);
      changed++;
    }
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return changed;
}

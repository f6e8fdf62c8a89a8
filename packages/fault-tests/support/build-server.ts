// Global setup: the suite runs the built server (a restart must take about a second, as in production),
// so it builds @cms/sdk and @cms/server first when their builds are missing or older than their sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serverDir } from './server-entry.js';

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs),
    0,
  );

function stale(pkgDir: string, built: string, sources: string[]): boolean {
  const out = join(pkgDir, built);
  if (!existsSync(out)) return true;
  return sources.some((s) => newest(join(pkgDir, s)) > statSync(out).mtimeMs);
}

export default function setup(): void {
  if (process.env.CMS_FAULTS_SERVER === 'source') return;
  const coreDir = join(serverDir, '../core');
  const builds: [string, string, string[], string][] = [
    ['@cms/sdk', 'dist/index.js', ['src'], coreDir],
    ['@cms/server', 'dist/main.js', ['src', 'migrations'], serverDir],
  ];
  for (const [name, built, sources, dir] of builds) {
    if (!stale(dir, built, sources)) continue;
    console.log(`fault suite: building ${name} (its build is missing or older than its sources)`);
    execFileSync('pnpm', ['--filter', name, 'build'], { stdio: 'inherit', cwd: join(serverDir, '../..') });
  }
}

// Where the `cms-server` main the suite runs lives: the build (dist/main.js, starts in ~1 s) by default,
// or the sources under tsx with CMS_FAULTS_SERVER=source (slower to start: restarts then take longer).

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const serverDir = dirname(createRequire(import.meta.url).resolve('@cms/server/package.json'));

export function serverCommand(): string[] {
  return process.env.CMS_FAULTS_SERVER === 'source'
    ? ['--conditions=source', '--import', 'tsx', join(serverDir, 'src/main.ts')]
    : [join(serverDir, 'dist/main.js')];
}

// Where @cms/sdk's package `exports` lead, read from its package.json as a bundler reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const sdkDir = join(import.meta.dirname, '../../../packages/core');

type ExportTarget = string | { [condition: string]: ExportTarget };

function sdkRootExport(): ExportTarget {
  const manifest = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')) as {
    exports: Record<string, ExportTarget>;
  };
  return manifest.exports['.']!;
}

/** Every built file the "." export names (not the workspace-only `source` condition, not type declarations). */
export function sdkExportFiles(): string[] {
  const files: string[] = [];
  const walk = (target: ExportTarget, condition: string) => {
    if (typeof target === 'string') {
      if (condition !== 'source' && condition !== 'types') files.push(join(sdkDir, target));
      return;
    }
    for (const [key, value] of Object.entries(target)) walk(value, key);
  };
  walk(sdkRootExport(), '.');
  return files;
}

/**
 * The file a bundler building for browsers resolves `@cms/sdk` to: the first condition of the export
 * map, in the map's order, that is one of Vite's client conditions for a production build.
 */
export function sdkBrowserEntry(): string {
  const conditions = new Set(['browser', 'module', 'production', 'import', 'default']);
  let target = sdkRootExport();
  while (typeof target !== 'string') {
    const condition = Object.keys(target).find((key) => conditions.has(key));
    if (!condition) throw new Error(`@cms/sdk exports nothing under the conditions ${[...conditions].join(', ')}`);
    target = target[condition]!;
  }
  return join(sdkDir, target);
}

// The integration configuration keeps meaning what it says as files move: every entry of its list names
// test files that exist (a renamed test would otherwise silently leave the real-engine run).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_DEPENDENT } from '../vitest.integration.config.js';

const server = join(import.meta.dirname, '../packages/server');
const files = readdirSync(server, { recursive: true, encoding: 'utf8' }).filter((f) => !f.includes('node_modules'));
/** `**` any directories, `*` any name part: the globs the list uses. */
const matcher = (glob: string) =>
  new RegExp(
    `^${glob
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*\//g, '(?:.*/)?')
      .replace(/\*/g, '[^/]*')}$`,
  );

describe('vitest.integration.config.ts', () => {
  it.each(ENGINE_DEPENDENT)('%s names test files that exist', (pattern) => {
    const re = matcher(pattern);
    expect(files.filter((file) => re.test(file) && /\.test\.tsx?$/.test(file)).length).toBeGreaterThan(0);
  });
});

// `pnpm typecheck` checks the Node packages in one program (tsconfig.typecheck.json) and the rest with their
// own configs: a package or folder added to a package's tsconfig and not to one of those would go unchecked.
describe('pnpm typecheck', () => {
  const root = join(import.meta.dirname, '..');
  const readJson = (file: string) =>
    JSON.parse(readFileSync(join(root, file), 'utf8')) as { include?: string[]; scripts?: Record<string, string> };
  const combined = new Set(readJson('tsconfig.typecheck.json').include);
  const separately = (readJson('package.json').scripts!.typecheck!.match(/--filter (\S+)/g) ?? []).map((f) =>
    f.slice('--filter '.length),
  );
  const projects = ['packages', 'examples'].flatMap((dir) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(root, dir, e.name, 'tsconfig.json')))
      .map((e) => `${dir}/${e.name}`),
  );
  it.each(projects)('covers %s', (project) => {
    const name = (JSON.parse(readFileSync(join(root, project, 'package.json'), 'utf8')) as { name: string }).name;
    if (separately.includes(name)) return;
    const own = readJson(`${project}/tsconfig.json`).include ?? [];
    expect(own.map((entry) => `${project}/${entry}`).filter((entry) => !combined.has(entry))).toEqual([]);
  });
});

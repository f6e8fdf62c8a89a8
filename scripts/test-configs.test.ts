// The integration configuration keeps meaning what it says as files move: every entry of its list names
// test files that exist (a renamed test would otherwise silently leave the real-engine run).
import { readdirSync } from 'node:fs';
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

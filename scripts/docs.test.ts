import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { errorCatalogue } from '../packages/core/src/generated/errors.js';

const docs = join(import.meta.dirname, '../docs/errors');

it('documents every error code of the catalogue, with its status', () => {
  for (const [code, { status }] of Object.entries(errorCatalogue)) {
    const page = join(docs, `${code}.md`);
    expect(existsSync(page), `docs/errors/${code}.md`).toBe(true);
    expect(readFileSync(page, 'utf8')).toContain(`**HTTP ${status}**`);
    expect(readFileSync(join(docs, 'README.md'), 'utf8')).toContain(`[\`${code}\`](${code}.md)`);
  }
});

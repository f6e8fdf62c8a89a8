// Runs the README's SDK example as a user would, against a real server, and keeps the README honest.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '@cms/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

it('logs in with a new did:key, creates a contract, reads it back and lists it', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(import.meta.dirname, 'quickstart.ts')],
    {
      env: { ...process.env, CMS_SERVER: server.url },
    },
  );
  expect(stdout.trim()).toMatch(/^[0-9a-f-]{36} draft 0x[0-9a-f]{64} listed=true$/);
});

it('is quoted verbatim in the README', () => {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  expect(readme).toContain(readFileSync(join(import.meta.dirname, 'quickstart.ts'), 'utf8'));
});

// The `cms` executable as a real process (from source via tsx, so no build is needed): exit
// statuses, stdout/stderr separation and stdin, which the in-process tests only simulate.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Contract } from '@cms/sdk';
import { sharedTestServer } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const mainTs = fileURLToPath(new URL('../src/main.ts', import.meta.url));

let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  server = await sharedTestServer();
});
afterAll(() => server?.close());

/** Runs `cms` in a child process. Asynchronous on purpose: the server answers from this process. */
function cms(
  args: string[],
  env: Record<string, string>,
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', mainTs, ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('the cms executable', () => {
  it('generates a key, logs in and creates a contract from stdin, with exit statuses', async () => {
    const env = { CMS_CONFIG_DIR: await tempDir(), CMS_SERVER: server.url };

    const key = await cms(['keys', 'generate', '--json'], env);
    expect(key).toMatchObject({ code: 0, stderr: '' });
    const { did } = JSON.parse(key.stdout) as { did: string };

    expect(await cms(['login'], env)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(`^Logged in to ${server.url} as ${did}\n`),
      stderr: '',
    });

    const created = await cms(
      ['contracts', 'create', '--file', '-', '--json'],
      env,
      JSON.stringify({ title: 'From a pipe', parties: [{ did, role: 'signer' }] }),
    );
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const contract = JSON.parse(created.stdout) as Contract;
    expect(contract).toMatchObject({
      title: 'From a pipe',
      createdBy: did,
      parties: [{ did, role: 'signer', signingOrder: 1 }],
    });

    const missing = await cms(['contracts', 'get', '00000000-0000-7000-8000-000000000000'], env);
    expect(missing).toMatchObject({ code: 4, stdout: '' });
    expect(missing.stderr).toMatch(/^error: .*\(code not_found, request \S+\)\n$/);

    expect(await cms(['contracts', 'list', '--limit', 'x'], env)).toMatchObject({ code: 2, stdout: '' });
  });

  it('prints help and exits 0', async () => {
    const help = await cms(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cms \[options\] \[command\]/);
    expect(help.stdout).toMatch(/^ {2}contracts\b/m);
  });
});

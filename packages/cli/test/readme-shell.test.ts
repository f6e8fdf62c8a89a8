// The root README's "Use it from a shell" block, run as it stands by bash in a fresh clone (the
// repository's files, `pnpm install`, no dist/), against a real server: the build line must build
// everything `cms` needs, and every later line must succeed.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { verifyEvidence } from '@cms/sdk';
import { startTestServer } from '@cms/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'cms-readme-'));
const clone = join(scratch, 'cms');
let server: { url: string; close(): Promise<void> };

/** The fenced `sh` block under the README heading `heading`. */
function shellBlock(markdown: string, heading: string): string {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  const block = section && /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`README has no sh block under "## ${heading}"`);
  return block;
}

/** What a fresh clone holds: the tracked (and new, unignored) files, then `pnpm install` (from the local store). */
function freshClone(): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(repo, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(repo, file), join(clone, file));
  }
  execFileSync('pnpm', ['install', '--frozen-lockfile', '--offline'], {
    cwd: clone,
    env: { ...process.env, CI: 'true' },
    stdio: 'pipe',
  });
}

beforeAll(async () => {
  freshClone();
  server = await startTestServer();
}, 300_000);
afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

it('runs every command of the README shell block on a fresh copy', { timeout: 600_000 }, async () => {
  const block = shellBlock(readFileSync(join(repo, 'README.md'), 'utf8'), 'Use it from a shell');
  expect(existsSync(join(clone, 'packages/core/dist'))).toBe(false);
  const home = join(scratch, 'home');
  mkdirSync(home);
  // `set -e`: the first failing line fails the run; aliases are off in non-interactive shells unless asked.
  const script = `set -euo pipefail\nshopt -s expand_aliases\n${block}`;
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('bash', ['-c', script], {
      cwd: clone,
      env: { PATH: process.env.PATH ?? '', HOME: home, CMS_SERVER: server.url, CI: process.env.CI ?? '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  expect(result, result.stderr).toMatchObject({ code: 0 });
  const key = JSON.parse(readFileSync(join(home, '.config/cms/key.json'), 'utf8')) as { did: string };
  expect(result.stdout).toContain(`Logged in to ${server.url} as ${key.did}`);
  expect(result.stdout).toMatch(/Mutual NDA/);
  const nda = JSON.parse(readFileSync(join(clone, 'nda.json'), 'utf8')) as {
    id: string;
    parties: { did: string; role: string }[];
  };
  expect(nda.parties).toMatchObject([{ did: key.did, role: 'signer' }]);
  // The bundle the block wrote is the contract's, and it verifies.
  const bundle = JSON.parse(readFileSync(join(clone, 'bundle.json'), 'utf8')) as { contract: { id: string } };
  expect(bundle.contract.id).toBe(nda.id);
  expect(await verifyEvidence(bundle)).toMatchObject({ valid: true });
});

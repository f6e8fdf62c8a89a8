// `cms bulk` as a real process against a real server: a 10,000-row create SIGKILLed halfway and
// re-run with the same command creates each contract exactly once, and its report lists each row once.
// The integration suite (`pnpm test:integration`, real PostgreSQL: some 200 s on 2 cores) runs the 10,000
// rows; `pnpm test` runs the same test with 500 rows on the embedded PGlite (about half PostgreSQL's rate).
// CMS_BULK_TEST_ROWS sets the count.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Contract, createCmsClient } from '@cms/sdk';
import { sharedTestServer, startTestServer } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readToken, runCli, tempDir } from './run-cli.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const mainTs = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const ROWS = Number(process.env.CMS_BULK_TEST_ROWS) || (process.env.CMS_TEST_DATABASE_URL ? 10_000 : 500);

let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  server = await sharedTestServer();
});
afterAll(() => server?.close());

function spawnCms(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', mainTs, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    },
  );
  return { child, done };
}

async function reportLines(path: string): Promise<{ row: number; ok: boolean; id?: string; code?: string }[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
}

describe('cms bulk create', () => {
  it(`creates ${ROWS} contracts exactly once across a SIGKILL and a re-run`, { timeout: 900_000 }, async () => {
    const configDir = await tempDir();
    const env = { CMS_CONFIG_DIR: configDir, CMS_SERVER: server.url };
    expect((await runCli(['keys', 'generate'], env)).code).toBe(0);
    expect((await runCli(['login'], env)).code).toBe(0);
    const file = join(configDir, 'contracts.csv');
    const lines = ['title,externalId,metadata.batch'];
    for (let i = 0; i < ROWS; i++) lines.push(`"Order ${i}, bulk",ext-${i},b1`);
    await writeFile(file, `${lines.join('\n')}\n`);
    const report = join(configDir, 'report.jsonl');
    const args = ['bulk', 'create', file, '--run', 'import-1', '--report', report, '--concurrency', '8', '--json'];
    const childEnv = { ...env, CMS_PROGRESS_INTERVAL_MS: '500' };

    const started = Date.now();
    const first = spawnCms(args, childEnv);
    // SIGKILL once about half the rows are done.
    while ((await reportLines(report)).length < ROWS / 2) await new Promise((r) => setTimeout(r, 200));
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    // Piped stderr: plain progress lines, no bar.
    expect(killed.stderr).toMatch(/^bulk create: \d+\/\d+ done, 0 failed$/m);
    expect(killed.stderr).not.toContain('\u001b[');
    const before = await reportLines(report);
    expect(before.length).toBeGreaterThanOrEqual(ROWS / 2);
    expect(before.length).toBeLessThan(ROWS);

    const second = await spawnCms(args, childEnv).done;
    expect(second.code, second.stderr).toBe(0);
    const summary = JSON.parse(second.stdout);
    expect(summary).toMatchObject({ total: ROWS, succeeded: ROWS, failed: 0, run: 'import-1', action: 'create' });
    expect(summary.skipped).toBeGreaterThanOrEqual(before.length - 1);
    const elapsed = Date.now() - started;

    const after = await reportLines(report);
    expect(after).toHaveLength(ROWS);
    expect(new Set(after.map((l) => l.row)).size).toBe(ROWS);
    expect(after.every((l) => l.ok && l.id)).toBe(true);
    expect(new Set(after.map((l) => l.id)).size).toBe(ROWS);

    // Exactly ROWS contracts on the server, one per externalId.
    const token = await readToken(configDir, server.url);
    const client = createCmsClient({ baseUrl: server.url, accessToken: token.accessToken });
    const all: Contract[] = [];
    for await (const c of client.contracts.listAll({ limit: 100 })) all.push(c);
    expect(all).toHaveLength(ROWS);
    expect(new Set(all.map((c) => c.externalId)).size).toBe(ROWS);
    expect(all.find((c) => c.externalId === 'ext-7')).toMatchObject({
      title: 'Order 7, bulk',
      metadata: { batch: 'b1' },
    });
    console.info(`bulk create: ${ROWS} rows with a SIGKILL and a re-run in ${(elapsed / 1000).toFixed(1)} s`);

    // A third run does nothing at all.
    const third = await spawnCms(args, childEnv).done;
    expect(JSON.parse(third.stdout)).toMatchObject({ succeeded: ROWS, skipped: ROWS, failed: 0 });
  });

  it('reports failed rows with their code and exits 8; a fixed row succeeds on the re-run', async () => {
    const configDir = await tempDir();
    const env = { CMS_CONFIG_DIR: configDir, CMS_SERVER: server.url };
    const { did } = JSON.parse((await runCli(['keys', 'generate', '--json'], env)).stdout);
    await runCli(['login'], env);
    const file = join(configDir, 'rows.jsonl');
    const good = { title: 'ok', parties: [{ did, role: 'signer' }] };
    await writeFile(file, `${JSON.stringify(good)}\n${JSON.stringify({ title: '' })}\n`);
    const failed = await runCli(['bulk', 'create', file, '--json'], env);
    expect(failed.code).toBe(8);
    expect(JSON.parse(failed.stdout)).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
    expect(JSON.parse(failed.stderr).error.code).toBe('bulk_rows_failed');
    const report = `${file}.rows.jsonl.create.report.jsonl`;
    const lines = (await reportLines(report)).sort((a, b) => a.row - b.row);
    expect(lines).toEqual([
      expect.objectContaining({ row: 1, ok: true, id: expect.any(String) }),
      expect.objectContaining({ row: 2, ok: false, code: 'validation_failed', status: 422 }),
    ]);
    // void needs a reason; send of an unknown id is a row error, not a crash.
    const ids = join(configDir, 'ids.csv');
    await writeFile(ids, `id\n${lines[0]!.id}\n00000000-0000-7000-8000-000000000000\n`);
    const sent = await runCli(['bulk', 'send', ids, '--json', '--report', join(configDir, 's.jsonl')], env);
    expect(sent.code).toBe(8);
    expect((await reportLines(join(configDir, 's.jsonl'))).sort((a, b) => a.row - b.row)).toEqual([
      expect.objectContaining({ row: 1, ok: true }),
      expect.objectContaining({ row: 2, ok: false, code: 'not_found' }),
    ]);
    const signed = await runCli(['bulk', 'sign', ids, '--json', '--report', join(configDir, 'g.jsonl')], env);
    expect(JSON.parse(signed.stdout)).toMatchObject({ succeeded: 1, failed: 1 });
    expect(JSON.parse((await runCli(['contracts', 'get', lines[0]!.id!, '--json'], env)).stdout).status).toBe(
      'executed',
    );
    // An executed contract cannot be voided: a conflict for that row.
    const voided = await runCli(
      ['bulk', 'void', ids, '--reason', 'test', '--json', '--report', join(configDir, 'v.jsonl')],
      env,
    );
    expect(JSON.parse(voided.stdout)).toMatchObject({ succeeded: 0, failed: 2 });
  });

  it('slows down under a rate limit (429 + Retry-After) instead of failing rows', { timeout: 120_000 }, async () => {
    const generous = { steady: { points: 1000, durationSeconds: 1 }, burst: { points: 10_000, durationSeconds: 60 } };
    const limited = await startTestServer({
      rateLimit: {
        enabled: true,
        ip: generous,
        auth: generous,
        // 5 a second and next to no burst allowance (the burst is spent once the steady window is).
        user: { steady: { points: 5, durationSeconds: 1 }, burst: { points: 1, durationSeconds: 60 } },
        onStoreError: 'open',
      },
    });
    try {
      const configDir = await tempDir();
      const env = { CMS_CONFIG_DIR: configDir, CMS_SERVER: limited.url };
      await runCli(['keys', 'generate'], env);
      expect((await runCli(['login'], env)).code).toBe(0);
      const file = join(configDir, 'rows.csv');
      await writeFile(file, `title\n${Array.from({ length: 30 }, (_, i) => `Limited ${i}`).join('\n')}\n`);
      const started = Date.now();
      const result = await runCli(['bulk', 'create', file, '--concurrency', '10', '--json'], env);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ total: 30, succeeded: 30, failed: 0 });
      // 30 creates at 5 a second cannot take less than about 5 s: the run was slowed, not failed.
      expect(Date.now() - started).toBeGreaterThan(4000);
    } finally {
      await limited.close();
    }
  });
});

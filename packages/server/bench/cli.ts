// `pnpm bench cli`: `cms bulk create` throughput against the same creates through the SDK in one process,
// on one local server (goal: the CLI at ≥ 0.8× the SDK). Both use the same concurrency and bodies; the CLI's
// time includes its process start (tsx, from source) and writing its report.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_CLI_ROWS=2000 BENCH_CLI_CONCURRENCY=8 pnpm bench cli
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';
import { startTestServer } from '../src/testing/start-test-server.js';
import { table } from './stats.js';

const ROWS = Number(process.env.BENCH_CLI_ROWS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CLI_CONCURRENCY ?? 8);
process.env.CMS_TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const cliMain = join(import.meta.dirname, '../../cli/src/main.ts');

const server = await startTestServer();
try {
  const dir = mkdtempSync(join(tmpdir(), 'cms-bench-cli-'));
  const env = { ...process.env, CMS_CONFIG_DIR: dir, CMS_SERVER: server.url };
  // Asynchronous on purpose: the server answers from this process.
  const cms = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cliMain, ...args], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c));
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  for (const args of [['keys', 'generate'], ['login']]) {
    const r = await cms(...args);
    if (r.status !== 0) throw new Error(`cms ${args.join(' ')}: ${r.stderr}`);
  }

  // SDK baseline: its own user, the same bodies, CONCURRENCY workers.
  const key = await generateDidKey();
  const sdk = createCmsClient({ baseUrl: server.url });
  await sdk.auth.login(await didKeySigner(key.privateKey));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ROWS) {
        const i = next++;
        await sdk.contracts.create({ title: `SDK ${i}`, externalId: `sdk-${i}` });
      }
    }),
  );
  const sdkSeconds = (performance.now() - t0) / 1000;

  const file = join(dir, 'rows.csv');
  writeFileSync(file, `title,externalId\n${Array.from({ length: ROWS }, (_, i) => `CLI ${i},cli-${i}`).join('\n')}\n`);
  const t1 = performance.now();
  const r = await cms('bulk', 'create', file, '--concurrency', String(CONCURRENCY), '--no-progress', '--json');
  const cliSeconds = (performance.now() - t1) / 1000;
  if (r.status !== 0) throw new Error(`cms bulk create: ${r.stderr}`);
  const summary = JSON.parse(r.stdout) as { succeeded: number };
  if (summary.succeeded !== ROWS) throw new Error(`cms bulk create: ${summary.succeeded}/${ROWS} succeeded`);

  const rate = (s: number) => `${(ROWS / s).toFixed(0)}/s`;
  console.log(
    table([
      ['client', 'rows', 'concurrency', 'seconds', 'creates/s'],
      ['SDK (one process)', String(ROWS), String(CONCURRENCY), sdkSeconds.toFixed(1), rate(sdkSeconds)],
      ['cms bulk create', String(ROWS), String(CONCURRENCY), cliSeconds.toFixed(1), rate(cliSeconds)],
    ]),
  );
  const ratio = sdkSeconds / cliSeconds;
  console.log(`\ncms bulk create at ${ratio.toFixed(2)}× the SDK's throughput (goal ≥ 0.8×)`);
  if (ratio < 0.8) process.exitCode = 1;
} finally {
  await server.close();
}

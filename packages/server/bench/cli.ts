// `pnpm bench cli`: `cms bulk create` throughput against the same creates through the SDK in one process,
// on one local server (goal: the CLI at ≥ 0.8× the SDK). Both use the same concurrency and bodies; the CLI's
// time includes its process start (tsx, from source) and writing its report; the SDK runs in a process of its
// own too (bench/sdk-creates.ts), timed the same way, so the server's process only serves.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_CLI_ROWS=1000 BENCH_CLI_ROUNDS=3 BENCH_CLI_CONCURRENCY=8 pnpm bench cli
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startTestServer } from '../src/testing/start-test-server.js';
import { table } from './stats.js';

const ROWS = Number(process.env.BENCH_CLI_ROWS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CLI_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_CLI_ROUNDS ?? 3);
process.env.CMS_TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const cliMain = join(import.meta.dirname, '../../cli/src/main.ts');

const server = await startTestServer();
try {
  const dir = mkdtempSync(join(tmpdir(), 'cms-bench-cli-'));
  const env = { ...process.env, CMS_CONFIG_DIR: dir, CMS_SERVER: server.url };
  // Asynchronous on purpose: the server answers from this process.
  const node = (script: string, args: string[], childEnv: NodeJS.ProcessEnv) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, ...args], {
        env: childEnv,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c));
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  const cms = (...args: string[]) => node(cliMain, args, env);
  for (const args of [['keys', 'generate'], ['login']]) {
    const r = await cms(...args);
    if (r.status !== 0) throw new Error(`cms ${args.join(' ')}: ${r.stderr}`);
  }

  // SDK baseline: its own process and user, the same bodies and concurrency (bench/sdk-creates.ts), timed
  // like the CLI from spawn to exit. Rounds interleave SDK and CLI.
  const sdkRound = async (round: number) => {
    const t0 = performance.now();
    const r = await node(join(import.meta.dirname, 'sdk-creates.ts'), [], {
      ...env,
      BENCH_URL: server.url,
      BENCH_ROWS: String(ROWS),
      BENCH_CONCURRENCY: String(CONCURRENCY),
      BENCH_ROUND: String(round),
    });
    if (r.status !== 0) throw new Error(`SDK creates: ${r.stderr}`);
    return (performance.now() - t0) / 1000;
  };
  const cliRound = async (round: number) => {
    const file = join(dir, `rows-${round}.csv`);
    writeFileSync(
      file,
      `title,externalId\n${Array.from({ length: ROWS }, (_, i) => `CLI ${round}.${i},cli-${round}-${i}`).join('\n')}\n`,
    );
    const t1 = performance.now();
    const r = await cms('bulk', 'create', file, '--concurrency', String(CONCURRENCY), '--no-progress', '--json');
    const seconds = (performance.now() - t1) / 1000;
    if (r.status !== 0) throw new Error(`cms bulk create: ${r.stderr}`);
    const summary = JSON.parse(r.stdout) as { succeeded: number };
    if (summary.succeeded !== ROWS) throw new Error(`cms bulk create: ${summary.succeeded}/${ROWS} succeeded`);
    return seconds;
  };

  const rate = (s: number) => `${(ROWS / s).toFixed(0)}/s`;
  const rows: string[][] = [['round', 'client', 'rows', 'concurrency', 'seconds', 'creates/s']];
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which goes first, so neither always runs on a warmer server.
    const order = round % 2 ? (['sdk', 'cli'] as const) : (['cli', 'sdk'] as const);
    const seconds: Record<string, number> = {};
    for (const which of order) seconds[which] = which === 'sdk' ? await sdkRound(round) : await cliRound(round);
    rows.push([
      String(round),
      'SDK (one process)',
      String(ROWS),
      String(CONCURRENCY),
      seconds.sdk!.toFixed(1),
      rate(seconds.sdk!),
    ]);
    rows.push([
      String(round),
      'cms bulk create',
      String(ROWS),
      String(CONCURRENCY),
      seconds.cli!.toFixed(1),
      rate(seconds.cli!),
    ]);
    ratios.push(seconds.sdk! / seconds.cli!);
  }
  console.log(table(rows));
  const ratio = ratios.sort((x, y) => x - y)[Math.floor(ratios.length / 2)]!;
  console.log(
    `\ncms bulk create at ${ratio.toFixed(2)}× the SDK's throughput, median of ${ROUNDS} interleaved rounds (goal ≥ 0.8×); load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (ratio < 0.8) process.exitCode = 1;
} finally {
  await server.close();
}

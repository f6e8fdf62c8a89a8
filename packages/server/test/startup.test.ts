// A first start of `cms-server` on a fresh data directory, as `pnpm start` does it: the log says what
// it is doing while it initializes (JSON lines when stdout is not a terminal), a terminal gets a short
// banner with the addresses, and nothing it writes under CMS_DATA_DIR is readable by other users.
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './support/server-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'cms-startup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every entry under `dir` whose mode lets group or others in, with its mode. */
function openToOthers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).flatMap((name) => {
    const stat = lstatSync(join(dir, name));
    const mode = stat.mode & 0o777;
    const ok = stat.isSymbolicLink() || (stat.isDirectory() ? mode === 0o700 : (mode & 0o077) === 0);
    return ok ? [] : [`${name} ${mode.toString(8)}`];
  });
}

// A first start initializes PGlite from scratch (initdb and every migration, no template) and deploys the ledger on a
// new chain, under tsx: on a loaded 2-core machine that alone has taken over a minute.
const FIRST_START_MS = 150_000;

describe('cms-server on a fresh data directory', { timeout: FIRST_START_MS + 30_000 }, () => {
  it('logs each initialization step as JSON, then listens; the data directory is private (dirs 0700, files 0600)', async () => {
    const dataDir = join(scratch, 'fresh');
    const server = await startServerProcess(
      { CMS_DATA_DIR: dataDir, CMS_LOG_LEVEL: 'info', CMS_CHAIN: 'embedded' },
      { startTimeoutMs: FIRST_START_MS },
    );
    const status = await (await fetch(`${server.url}/v1/status`)).json();
    await server.stop();
    const lines = server.output().trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as { msg: string; [k: string]: unknown });
    const steps = entries
      .map((e) => e.msg)
      .filter((m) => !['request', 'shutting down: no new connections; draining requests', 'stopped'].includes(m));
    expect(steps).toEqual([
      'opening the database and applying migrations',
      'database ready',
      'starting the embedded chain',
      'embedded chain and ledger contract ready',
      'CMS server listening',
    ]);
    const journal = JSON.parse(
      (await import('node:fs')).readFileSync(join(import.meta.dirname, '../migrations/meta/_journal.json'), 'utf8'),
    ) as { entries: unknown[] };
    expect(entries.find((e) => e.msg === 'database ready')).toMatchObject({
      engine: 'pglite',
      migrations: journal.entries.length,
    });
    expect(entries.find((e) => e.msg === 'embedded chain and ledger contract ready')).toMatchObject({
      chainId: 31337,
      rpcUrl: status.chain.rpcUrl,
      ledgerAddress: status.chain.ledgerAddress,
    });
    // No banner when stdout is not a terminal.
    expect(server.output()).not.toContain('is ready');

    expect(existsSync(join(dataDir, 'chain', 'state.json'))).toBe(true);
    expect(readdirSync(join(dataDir, 'keys')).length).toBeGreaterThan(0);
    expect(lstatSync(dataDir).mode & 0o777).toBe(0o700);
    expect(openToOthers(dataDir)).toEqual([]);
  });

  it('prints the banner with the UI, API docs and chain URLs on a terminal', async () => {
    // `script` gives the server a pseudo-terminal as stdout, as a shell running `pnpm start` would.
    const main = join(import.meta.dirname, '../src/main.ts');
    const command = `${process.execPath} --conditions=source --import tsx ${main}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: join(import.meta.dirname, '..'),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        CMS_DATA_DIR: join(scratch, 'tty'),
        CMS_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const stopped = new Promise((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no banner within ${FIRST_START_MS} ms:\n${output}`)),
          FIRST_START_MS,
        );
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Stop it with Ctrl-C.')) clearTimeout(timer), resolve();
        });
      });
    } finally {
      // The process group: `script`, the server under it and its embedded chain.
      process.kill(-child.pid!, 'SIGTERM');
      await stopped;
    }
    const text = output.replace(/\r/g, '');
    expect(text).toMatch(/CMS server \d+\.\d+\.\d+\S* is ready\n {2}Web UI {4}\S+/);
    expect(text).toMatch(/ {2}API docs {2}http:\/\/127\.0\.0\.1:\d+\/docs\n/);
    expect(text).toMatch(/ {2}Chain {5}embedded anvil, JSON-RPC http:\/\/127\.0\.0\.1:\d+ \(chain id 31337\)\n/);
    expect(text).toMatch(/ {2}Ledger {4}0x[0-9a-fA-F]{40} \(ContractLedger\)\n/);
  });
});

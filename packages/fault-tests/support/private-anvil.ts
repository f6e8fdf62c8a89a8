// An anvil (the binary inside @foundry-rs/anvil's platform package, found the way the server finds it)
// on a free port, keeping its chain in a state file: written every second and on SIGTERM, so a kill -9
// loses at most the last second, as a crashed node without its latest blocks would.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './free-port.js';

export interface PrivateAnvil {
  url: string;
  /** SIGKILL (`hard`) or SIGTERM, then waits for the exit. */
  stop(how?: 'hard' | 'graceful'): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

function anvilBinary(): string {
  const server = createRequire(createRequire(import.meta.url).resolve('@cms/server/package.json'));
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch as 'x64' | 'arm64'];
  const file = `@foundry-rs/anvil-${process.platform}-${arch}/bin/anvil`;
  const path = createRequire(server.resolve('@foundry-rs/anvil/package.json')).resolve(file);
  if (!existsSync(path)) throw new Error(`anvil binary not found at ${path}`);
  return path;
}

async function answers(url: string): Promise<boolean> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
  });
  return res.ok;
}

export async function startPrivateAnvil(): Promise<PrivateAnvil> {
  const dir = mkdtempSync(join(tmpdir(), 'cms-faults-anvil-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const binary = anvilBinary();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      binary,
      [
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--silent',
        '--state',
        join(dir, 'state.json'),
        '--state-interval',
        '1',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(`anvil on ${port}`, () => answers(url), 20_000);
  };
  const stop = async (how: 'hard' | 'graceful' = 'hard') => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill(how === 'hard' ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  await start();
  return {
    url,
    start,
    stop,
    async destroy() {
      await stop('hard');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

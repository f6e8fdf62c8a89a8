// Starts one anvil process on 127.0.0.1 and waits until it answers JSON-RPC.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { anvilBinaryPath } from './anvil-binary.js';

export interface AnvilOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Keeps blocks, logs and contracts across restarts (`--state`); in memory when unset. */
  stateFile?: string;
  /** Seconds between state writes; a hard kill loses at most this much. @default 1 */
  stateIntervalSeconds?: number;
  chainId?: number;
  /** Seconds between blocks; unset mines one block per transaction. */
  blockTimeSeconds?: number;
  /** The EVM rules (`--hardfork`), e.g. `petersburg` or `paris` to try bytecode meant for older networks. @default latest */
  hardfork?: string;
}

export interface AnvilProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** SIGTERM (anvil writes its state), then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

/** Spawns anvil and resolves once `eth_chainId` answers. */
export async function spawnAnvil(options: AnvilOptions = {}): Promise<AnvilProcess> {
  const port = options.port || (await freePort());
  const args = ['--host', '127.0.0.1', '--port', String(port), '--silent'];
  if (options.stateFile)
    args.push('--state', options.stateFile, '--state-interval', String(options.stateIntervalSeconds ?? 1));
  if (options.chainId) args.push('--chain-id', String(options.chainId));
  if (options.blockTimeSeconds) args.push('--block-time', String(options.blockTimeSeconds));
  if (options.hardfork) args.push('--hardfork', options.hardfork);
  const child = spawn(anvilBinaryPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const code = await Promise.race([exited, sleep(50).then(() => 'running' as const)]);
    if (code !== 'running') throw new Error(`anvil exited with code ${code} before answering: ${stderr.trim()}`);
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`anvil did not answer on ${url} within 15 s`);
    }
  }
  return {
    url,
    port,
    pid: child.pid!,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// Children still running when this process exits (a crash, process.exit) get SIGTERM, on which anvil
// writes its state and stops: a chain never outlives the server that started it.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGTERM');
});

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The embedded enclave: `cms-enclave serve` as a child process of the server (as the embedded chain is),
// over a socket in its own 0700 directory. When it dies it is restarted with capped exponential
// backoff; meanwhile calls fail fast with `unavailable`. It exits with the server (IPC disconnect).
import { type ChildProcess, spawn } from 'node:child_process';
import type { Logger } from '../../observability/logger.js';
import { enclaveCommand } from './enclave-command.js';
import type { EnclaveConnection } from './enclave-connection.js';

export interface EnclaveLimits {
  maxConcurrency: number;
  maxRequestBytes: number;
  timeoutMs: number;
  memoryMb: number;
}

export interface SupervisedEnclave {
  pid(): number | undefined;
  /** Whether the child is running and answered its last health check. */
  up(): boolean;
  restarts(): number;
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  socketPath: string;
  dataDir: string;
  limits: EnclaveLimits;
  connection: EnclaveConnection;
  /** Where exits and restarts are reported. */
  logger: Logger;
  /** Backoff between restarts. @default { initialMs: 200, maxMs: 5000 } */
  backoff?: { initialMs: number; maxMs: number };
  /** How long a start may take to answer `ping`. @default 30000 */
  startTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function superviseEnclave(options: SuperviseOptions): Promise<SupervisedEnclave> {
  const { initialMs, maxMs } = options.backoff ?? { initialMs: 200, maxMs: 5000 };
  let child: ChildProcess | undefined;
  let stopping = false;
  let healthy = false;
  let restarts = 0;
  let restarting: Promise<void> | undefined;

  async function spawnOnce(): Promise<ChildProcess> {
    const { command, args } = enclaveCommand({ memoryMb: options.limits.memoryMb });
    const l = options.limits;
    const c = spawn(
      command,
      [
        ...args,
        'serve',
        '--socket',
        options.socketPath,
        '--data-dir',
        options.dataDir,
        '--max-concurrency',
        String(l.maxConcurrency),
        '--max-request-bytes',
        String(l.maxRequestBytes),
        '--timeout-ms',
        String(l.timeoutMs),
      ],
      { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], env: { PATH: process.env.PATH ?? '' } },
    );
    live.add(c);
    let stderr = '';
    c.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4000)));
    const exited = new Promise<void>((resolve) => c.once('exit', () => (live.delete(c), resolve())));
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null)
        throw new Error(
          `cms-enclave exited (${c.exitCode ?? c.signalCode}) before answering: ${stderr.trim().slice(-1000)}`,
        );
      try {
        await options.connection.call('ping', {}, { timeoutMs: 1000 });
        return c;
      } catch {
        if (Date.now() > deadline) {
          c.kill('SIGKILL');
          await exited;
          throw new Error(
            `cms-enclave did not answer within ${options.startTimeoutMs ?? 30_000} ms: ${stderr.trim().slice(-1000)}`,
          );
        }
        await Promise.race([sleep(50), exited]);
      }
    }
  }

  function watch(c: ChildProcess) {
    c.once('exit', (code, signal) => {
      healthy = false;
      if (stopping) return;
      options.logger.warn({ code, signal }, 'enclave exited; restarting');
      restarting = restart(0);
    });
  }

  async function restart(attempt: number): Promise<void> {
    if (stopping) return;
    await sleep(Math.min(initialMs * 2 ** attempt, maxMs));
    if (stopping) return;
    try {
      child = await spawnOnce();
      if (stopping) return void child.kill('SIGTERM');
      restarts++;
      healthy = true;
      watch(child);
      options.logger.info({ pid: child.pid, attempt }, 'enclave restarted');
    } catch (error) {
      options.logger.error({ attempt, error: String(error) }, 'enclave restart failed');
      return restart(attempt + 1);
    }
  }

  child = await spawnOnce();
  healthy = true;
  watch(child);
  return {
    pid: () => (healthy ? child?.pid : undefined),
    up: () => healthy,
    restarts: () => restarts,
    async stop() {
      stopping = true;
      await restarting;
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// Children still running when this process exits abnormally get SIGTERM (the IPC channel closing ends
// them too; this covers a parent that exits without closing it).
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGTERM');
});

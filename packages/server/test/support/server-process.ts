// Runs `cms-server` (src/main.ts under tsx) as a real child process, the way it runs in production:
// its own event loop, environment, signals and shutdown. The child reports its address over IPC, so
// port 0 works and no log line has to be parsed. Every process started here must be stopped by the test.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const SERVER_DIR = join(import.meta.dirname, '../..');
const MAIN = join(SERVER_DIR, 'src/main.ts');
/** Output kept for failure messages (the tail). */
const MAX_OUTPUT = 64 * 1024;

export interface ServerProcess {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far (the last 64 KiB). */
  output(): string;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGTERM: graceful shutdown) and waits for the exit; SIGKILL after `killAfterMs`. */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a server process with `env` (plus PORT=0, HOST=127.0.0.1, CMS_LOG_LEVEL=warn unless given; the
 * test runner's own environment is not passed on, so no stray DATABASE_URL leaks in).
 * @example const a = await startServerProcess({ DATABASE_URL: url, CMS_CHAIN: 'disabled' }); … await a.stop();
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: { startTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      CMS_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-MAX_OUTPUT);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cms-server did not start within ${options.startTimeoutMs ?? 60_000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 60_000);
    child.on('message', (m: { event?: string; url?: string }) => {
      if (m?.event !== 'listening' || !m.url) return;
      clearTimeout(timer);
      resolve(m.url);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`cms-server exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });

  return {
    url,
    pid: child.pid!,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM', killAfterMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

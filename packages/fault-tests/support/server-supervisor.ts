// A supervisor of the suite's own, as a process manager would be: it runs `cms-server` on a fixed port,
// restarts it whenever it exits, and tells the exits it caused (kill -9) from the ones it did not (a
// crash: the suite fails on any). It also keeps the server's error log lines, so a 500 shows up.
import { type ChildProcess, spawn } from 'node:child_process';
import { serverCommand, serverDir } from './server-entry.js';

export interface ExitRecord {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the supervisor itself killed the process. */
  expected: boolean;
  /** The process had been listening (a failed start is not a crash). */
  afterListening: boolean;
  at: number;
}

export interface SupervisedServer {
  url: string;
  readonly exits: ExitRecord[];
  /** Log lines at level error or above, parsed. */
  readonly errorLogs: Record<string, unknown>[];
  /** How many times a process reached `listening`. */
  readonly starts: number;
  /** kill -9 of the running process; resolves once its successor listens, with how long that took. */
  kill9(): Promise<number>;
  /** Resolves when a process is listening. */
  listening(): Promise<void>;
  /** The last output of the current process (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export async function superviseServer(env: Record<string, string>, port: number): Promise<SupervisedServer> {
  const exits: ExitRecord[] = [];
  const errorLogs: Record<string, unknown>[] = [];
  let starts = 0;
  let child: ChildProcess | undefined;
  let killing = false;
  let stopping = false;
  let isListening = false;
  let waiters: (() => void)[] = [];
  let output = '';

  const spawnOne = () => {
    isListening = false;
    const c = spawn(process.execPath, serverCommand(), {
      cwd: serverDir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child = c;
    let pending = '';
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-32 * 1024);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { level?: number };
          if ((entry.level ?? 0) >= 50) errorLogs.push(entry);
        } catch {
          // not a log line
        }
      }
    };
    c.stdout!.on('data', onData);
    c.stderr!.on('data', onData);
    c.on('message', (m: { event?: string }) => {
      if (m?.event !== 'listening') return;
      starts++;
      isListening = true;
      for (const w of waiters.splice(0)) w();
    });
    c.once('exit', (code, signal) => {
      exits.push({ code, signal, expected: killing, afterListening: isListening, at: Date.now() });
      killing = false;
      isListening = false;
      // A process manager restarts at once; a start that failed (a dependency down) is retried shortly.
      if (!stopping) setTimeout(spawnOne, exits.at(-1)!.afterListening ? 0 : 500);
    });
  };

  const listening = () => (isListening ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)));
  spawnOne();
  await Promise.race([
    listening(),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`cms-server did not start within 120 s:\n${output}`)), 120_000),
    ),
  ]);

  return {
    url: `http://127.0.0.1:${port}`,
    exits,
    errorLogs,
    get starts() {
      return starts;
    },
    async kill9() {
      const at = Date.now();
      const c = child!;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      killing = true;
      c.kill('SIGKILL');
      await exited;
      await listening();
      return Date.now() - at;
    },
    listening,
    output: () => output,
    async stop() {
      stopping = true;
      waiters = [];
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

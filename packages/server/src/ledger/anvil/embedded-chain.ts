// The embedded chain: anvil as a managed child process with its state in `<dataDir>/chain`, restarted on
// the same port when it dies unexpectedly, stopped (state written) when the server closes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnAnvil, type AnvilProcess } from './spawn-anvil.js';

export interface EmbeddedChain {
  /** JSON-RPC URL; stable across restarts. */
  readonly url: string;
  /** The current process id (changes after a restart). */
  pid(): number;
  /** How many times the process died and was restarted. */
  restarts(): number;
  stop(): Promise<void>;
}

export interface EmbeddedChainOptions {
  /** Where `state.json` lives; undefined keeps the chain in memory (tests). */
  dir: string | undefined;
  /** Called after each restart, e.g. to reconcile recently anchored batches. */
  onRestart?: () => void;
  /** Where to report a crash or a failed restart. @default console.error as JSON */
  log?: (entry: Record<string, unknown>) => void;
}

export async function startEmbeddedChain(options: EmbeddedChainOptions): Promise<EmbeddedChain> {
  const log = options.log ?? ((e) => console.error(JSON.stringify(e)));
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const stateFile = options.dir && join(options.dir, 'state.json');
  let current: AnvilProcess = await spawnAnvil({ stateFile });
  let stopping = false;
  let restarts = 0;
  let restarting: Promise<void> | undefined;

  const watch = (p: AnvilProcess) => {
    p.child.once('exit', (code, signal) => {
      if (stopping) return;
      log({ level: 'warn', msg: 'embedded chain exited; restarting', code, signal });
      restarting = restart(1);
    });
  };
  const restart = async (attempt: number): Promise<void> => {
    if (stopping) return;
    try {
      const next = await spawnAnvil({ stateFile, port: current.port });
      current = next;
      if (stopping) return; // stop() stops `current` once this restart settles
      restarts++;
      watch(current);
      options.onRestart?.();
    } catch (error) {
      log({ level: 'error', msg: 'embedded chain restart failed', attempt, error: String(error) });
      await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 5_000)));
      return restart(attempt + 1);
    }
  };
  watch(current);

  return {
    url: current.url,
    pid: () => current.pid,
    restarts: () => restarts,
    async stop() {
      stopping = true;
      await restarting;
      await current.stop();
    },
  };
}

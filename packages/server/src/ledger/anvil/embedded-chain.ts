// The embedded chain: anvil as a managed child process with its state in `<dataDir>/chain`, restarted on
// the same port when it dies unexpectedly, stopped (state written) when the server closes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { backoffDelayMs } from '../../backoff-delay.js';
import { fallbackLogger, type Logger } from '../../observability/logger.js';
import { type AnvilProcess, spawnAnvil } from './spawn-anvil.js';

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
  /** Where to report a crash or a failed restart. @default warnings and errors as JSON on stdout */
  logger?: Logger;
}

export async function startEmbeddedChain(options: EmbeddedChainOptions): Promise<EmbeddedChain> {
  const logger = options.logger ?? fallbackLogger();
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const stateFile = options.dir && join(options.dir, 'state.json');
  let current: AnvilProcess = await spawnAnvil({ stateFile });
  let stopping = false;
  let restarts = 0;
  let restarting: Promise<void> | undefined;

  const watch = (p: AnvilProcess) => {
    p.child.once('exit', (code, signal) => {
      if (stopping) return;
      logger.warn({ code, signal }, 'embedded chain exited; restarting');
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
      logger.error({ attempt, error: String(error) }, 'embedded chain restart failed');
      await new Promise((r) =>
        setTimeout(r, backoffDelayMs(attempt, { initialMs: 400, maxMs: 5_000, jitter: 'equal' })),
      );
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

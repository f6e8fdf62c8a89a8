// Resource bounds of the enclave: at most `maxConcurrency` operations at once (more are answered `busy`
// at once rather than queued, so a flood cannot grow memory), and each answered `timeout` after
// `timeoutMs`. Also counts calls, failures and time per operation for the server's /metrics.
import type { EnclaveUsage } from '../protocol/operations.js';
import { EnclaveError } from './enclave-error.js';

export interface OperationLimits {
  run<T>(op: string, work: () => Promise<T> | T): Promise<T>;
  usage(): EnclaveUsage;
}

export function createOperationLimits(options: { maxConcurrency: number; timeoutMs: number }): OperationLimits {
  let inFlight = 0;
  let rejectedBusy = 0;
  let timedOut = 0;
  const stats: EnclaveUsage['operations'] = {};
  return {
    async run(op, work) {
      if (inFlight >= options.maxConcurrency) {
        rejectedBusy++;
        throw new EnclaveError('busy', `${options.maxConcurrency} operations are already running`);
      }
      inFlight++;
      const started = performance.now();
      const s = (stats[op] ??= { count: 0, errors: 0, seconds: 0 });
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            timedOut++;
            reject(new EnclaveError('timeout', `${op} took longer than ${options.timeoutMs} ms`));
          }, options.timeoutMs);
        });
        return await Promise.race([Promise.resolve().then(work), timeout]);
      } catch (error) {
        s.errors++;
        throw error;
      } finally {
        clearTimeout(timer);
        inFlight--;
        s.count++;
        s.seconds += (performance.now() - started) / 1000;
      }
    },
    usage() {
      const memory = process.memoryUsage();
      return {
        inFlight,
        maxConcurrency: options.maxConcurrency,
        rejectedBusy,
        timedOut,
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        operations: structuredClone(stats),
      };
    },
  };
}

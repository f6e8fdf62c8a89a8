// The enclave's usage on the server's /metrics, read from the enclave on each scrape: whether it
// answers, restarts, operations in flight and refused, memory, and per operation its calls, failures
// and total time (so rate(seconds_sum) / rate(count) is its mean latency).
import { Gauge, type Registry } from 'prom-client';
import type { EnclaveUsage } from '../protocol/operations.js';
import type { Enclave } from './enclave-service.js';

export function registerEnclaveMetrics(registry: Registry, enclave: Enclave): void {
  if (enclave.mode === 'disabled') return;
  let last: Promise<EnclaveUsage | undefined> | undefined;
  let lastAt = 0;
  // One usage call per scrape, however many gauges ask.
  const usage = () => {
    if (!last || Date.now() - lastAt > 500) {
      lastAt = Date.now();
      last = enclave.usage().catch(() => undefined);
    }
    return last;
  };
  const gauge = (name: string, help: string, read: (u: EnclaveUsage) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const u = await usage();
        if (u) this.set(read(u));
        else this.reset();
      },
    });
  new Gauge({
    name: 'cms_enclave_up',
    help: '1 when the enclave answered this scrape, 0 otherwise.',
    registers: [registry],
    async collect() {
      this.set((await usage()) ? 1 : 0);
    },
  });
  if (enclave.process) {
    const p = enclave.process;
    new Gauge({
      name: 'cms_enclave_restarts',
      help: 'Times the embedded enclave died and was restarted.',
      registers: [registry],
      collect() {
        this.set(p.restarts());
      },
    });
  }
  gauge('cms_enclave_in_flight', 'Enclave operations running now.', (u) => u.inFlight);
  gauge('cms_enclave_max_concurrency', 'Enclave operations allowed at once.', (u) => u.maxConcurrency);
  gauge(
    'cms_enclave_rejected_busy',
    'Enclave operations refused at the concurrency limit (since its start).',
    (u) => u.rejectedBusy,
  );
  gauge('cms_enclave_timeouts', 'Enclave operations that hit the time limit (since its start).', (u) => u.timedOut);
  gauge('cms_enclave_rss_bytes', 'Resident memory of the enclave process.', (u) => u.rssBytes);
  gauge('cms_enclave_heap_used_bytes', 'Heap in use in the enclave process.', (u) => u.heapUsedBytes);
  const perOp = (name: string, help: string, read: (s: EnclaveUsage['operations'][string]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['operation'],
      registers: [registry],
      async collect() {
        this.reset();
        const u = await usage();
        for (const [operation, s] of Object.entries(u?.operations ?? {})) this.set({ operation }, read(s));
      },
    });
  perOp('cms_enclave_operations_count', 'Enclave operations answered, by operation (since its start).', (s) => s.count);
  perOp(
    'cms_enclave_operation_errors',
    'Enclave operations that failed, by operation (since its start).',
    (s) => s.errors,
  );
  perOp(
    'cms_enclave_operation_seconds_sum',
    'Time spent in enclave operations, by operation (since its start).',
    (s) => s.seconds,
  );
}

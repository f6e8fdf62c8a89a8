// Prometheus metrics of one server instance. Each server has its own Registry (tests run several
// servers in one process), scraped at GET /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Request durations by operation (or `unmatched`), method and status. */
  httpDuration: Histogram<'operation_id' | 'method' | 'status'>;
  /** Answers 401, by error code (bad tokens, rejected proofs, reused refresh tokens). */
  authFailures: Counter<'code'>;
  /** Requests refused with 429, by limit (`ip`, `user`, `auth`). */
  rateLimitRejections: Counter<'limit'>;
  /** Rate-limit checks that failed because the store (Redis) did, by what the request got (`allowed` or `refused`). */
  rateLimitStoreErrors: Counter<'limit' | 'outcome'>;
}

export interface MetricsOptions {
  /** Events waiting to be anchored; read on every scrape. */
  ledgerBacklog: () => Promise<number>;
}

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'cms_ledger_backlog',
    help: 'Audit events in the outbox not yet claimed into an anchoring batch.',
    registers: [registry],
    async collect() {
      this.set(await options.ledgerBacklog());
    },
  });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests, by operation, method and status.',
      labelNames: ['operation_id', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    authFailures: new Counter({ name: 'cms_auth_failures_total', help: 'Requests answered 401, by error code.', labelNames: ['code'], registers: [registry] }),
    rateLimitRejections: new Counter({ name: 'cms_rate_limit_rejections_total', help: 'Requests refused with 429, by limit.', labelNames: ['limit'], registers: [registry] }),
    rateLimitStoreErrors: new Counter({
      name: 'cms_rate_limit_store_errors_total',
      help: 'Rate-limit checks that failed because the limit store did, by limit and by what the request got.',
      labelNames: ['limit', 'outcome'],
      registers: [registry],
    }),
  };
}

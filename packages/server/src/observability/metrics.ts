// Prometheus metrics of one server instance. Each server has its own Registry (tests run several
// servers in one process), scraped at GET /metrics.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ReadTarget, ReplicaState, ReplicaStatus } from '../db/replica-pool.js';
import type { ChainState } from '../ledger/worker/anchoring-worker.js';

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
  /** Reads that could have gone to a replica, by where they went (read replicas only). */
  databaseReads: Counter<'target'>;
  /** Replicas taken out of rotation, by replica and why (`down`, `lagging`). */
  replicaEjections: Counter<'replica' | 'status'>;
  /** Writes whose position could not be stored (read-your-writes may then not hold for that caller). */
  writePositionErrors: Counter;
  /** Confirmed batches whose anchor vanished from the chain (they are anchored again). */
  ledgerAnchorLosses: Counter;
}

export interface MetricsOptions {
  /** Events waiting to be anchored; read on every scrape. */
  ledgerBacklog: () => Promise<number>;
  /** The read replicas' current state (none without replicas); read on every scrape. */
  replicas?: () => ReplicaState[];
  /** What the ledger's last chain-state check found; read on every scrape. */
  ledgerChainState?: () => ChainState | undefined;
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
  new Gauge({
    name: 'cms_database_replica_up',
    help: 'Whether a read replica serves reads (1) or is ejected (0: down or lagging).',
    labelNames: ['replica', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of options.replicas?.() ?? [])
        this.set({ replica: r.name, status: r.status }, r.status === 'up' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'cms_database_replica_lag_seconds',
    help: 'How far behind the primary a read replica replayed, at its last probe.',
    labelNames: ['replica'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of options.replicas?.() ?? []) if (r.lagMs !== null) this.set({ replica: r.name }, r.lagMs / 1000);
    },
  });
  new Gauge({
    name: 'cms_ledger_chain_state',
    help: 'Whether confirmed anchors are still on the chain: 1 for the current state (ok, reanchoring, ledger_missing, unchecked).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const current = options.ledgerChainState?.()?.state ?? 'unchecked';
      for (const state of ['ok', 'reanchoring', 'ledger_missing', 'unchecked'])
        this.set({ state }, state === current ? 1 : 0);
    },
  });
  new Gauge({
    name: 'cms_ledger_lost_batches',
    help: 'Batches whose anchor vanished from the chain and that are not confirmed again yet.',
    registers: [registry],
    collect() {
      this.set(options.ledgerChainState?.()?.lostBatches ?? 0);
    },
  });
  return {
    registry,
    ledgerAnchorLosses: new Counter({
      name: 'cms_ledger_anchor_losses_total',
      help: 'Confirmed batches whose anchor vanished from the chain.',
      registers: [registry],
    }),
    databaseReads: new Counter({
      name: 'cms_database_reads_total',
      help: 'Reads that may use a replica, by where they went.',
      labelNames: ['target'],
      registers: [registry],
    }),
    replicaEjections: new Counter({
      name: 'cms_database_replica_ejections_total',
      help: 'Read replicas taken out of rotation, by replica and status.',
      labelNames: ['replica', 'status'],
      registers: [registry],
    }),
    writePositionErrors: new Counter({
      name: 'cms_write_position_errors_total',
      help: 'Writes whose WAL position could not be stored for read-your-writes.',
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests, by operation, method and status.',
      labelNames: ['operation_id', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'cms_auth_failures_total',
      help: 'Requests answered 401, by error code.',
      labelNames: ['code'],
      registers: [registry],
    }),
    rateLimitRejections: new Counter({
      name: 'cms_rate_limit_rejections_total',
      help: 'Requests refused with 429, by limit.',
      labelNames: ['limit'],
      registers: [registry],
    }),
    rateLimitStoreErrors: new Counter({
      name: 'cms_rate_limit_store_errors_total',
      help: 'Rate-limit checks that failed because the limit store did, by limit and by what the request got.',
      labelNames: ['limit', 'outcome'],
      registers: [registry],
    }),
  };
}

/** Hooks for the replica pool (database.ts): counts reads and ejections, and reports status changes. */
export function replicaObserver(metrics: Metrics, onChange?: (state: ReplicaState, previous: ReplicaStatus) => void) {
  return {
    onRead: (target: ReadTarget) => metrics.databaseReads.inc({ target }),
    onStatusChange(state: ReplicaState, previous: ReplicaStatus) {
      if (state.status !== 'up' && previous === 'up')
        metrics.replicaEjections.inc({ replica: state.name, status: state.status });
      onChange?.(state, previous);
    },
  };
}

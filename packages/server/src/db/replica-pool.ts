// The read replicas of a PostgreSQL primary: each is probed periodically (reachable, still a standby, how
// far its replay is behind), ejected when a probe or a read fails with a connection error or its lag
// exceeds the bound, and rejoins when a later probe is healthy. Reads are routed to a replica that has
// replayed the caller's last write (see write-positions.ts); whatever fails on a replica is answered
// by the primary, so a replica going away never fails a read.
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { createPgPool } from './create-pg-pool.js';
import type { Db } from './db-types.js';
import { isRecoveryConflict, isReplicaUnavailable } from './replica-errors.js';
import * as schema from './schema/index.js';
import { parseLsn } from './wal-position.js';

export type ReplicaStatus = 'up' | 'down' | 'lagging';

export interface ReplicaState {
  /** `replica-1`, `replica-2`… in the order of `DATABASE_REPLICA_URLS`. */
  name: string;
  /** `host:port/database`, without credentials. */
  address: string;
  status: ReplicaStatus;
  /** How far behind the primary its replay was at the last probe; null before the first one. */
  lagMs: number | null;
  /** `pg_last_wal_replay_lsn()` at the last successful probe. */
  replayPosition: string | null;
  /** Why it is down or lagging; null when up. */
  reason: string | null;
  /** When it last changed status. */
  since: Date;
}

/** Where a read went: a replica, the primary because no replica had the caller's last write or none was up, or the primary after a replica failed it. */
export type ReadTarget = 'replica' | 'primary_behind' | 'primary_no_replica' | 'primary_failover';

export interface ReplicaPoolOptions {
  primary: pg.Pool;
  /** The primary behind drizzle: where reads go when no replica may serve them. */
  primaryDb: Db;
  urls: string[];
  poolSize: number;
  /** Replay lag beyond which a replica is ejected. */
  maxLagMs: number;
  probeIntervalMs: number;
  onStatusChange?: (state: ReplicaState, previous: ReplicaStatus) => void;
  onRead?: (target: ReadTarget) => void;
}

export interface ReplicaPool {
  /** A replica that is up and has replayed `readAfter` (any up replica when undefined), or the primary. */
  reader(readAfter?: bigint): Db;
  states(): ReplicaState[];
  /** Runs a probe round now (tests, and after a failure). */
  probeNow(): Promise<void>;
  close(): Promise<void>;
}

/** Primary WAL positions over time: "a replica at position p is as fresh as the primary was at `at`". */
interface Sample {
  at: number;
  lsn: bigint;
}

class Replica {
  status: ReplicaStatus = 'down';
  reason: string | null = 'not probed yet';
  since = new Date();
  lagMs: number | null = null;
  replay: bigint | null = null;
  replayText: string | null = null;
  /** Last ejection by a failed read: only a probe started after it may bring the replica back. */
  ejectedAt = 0;
  probeClient: pg.Client | undefined;
  readonly pool: pg.Pool;
  readonly db: Db;

  constructor(
    readonly name: string,
    readonly url: string,
    readonly address: string,
    poolSize: number,
    private readonly o: ReplicaPoolOptions,
  ) {
    // A connection error (the replica went away) fails only the query in flight; see create-pg-pool.ts.
    this.pool = createPgPool({ url, max: poolSize, connectionTimeoutMs: 5_000 });
    this.db = failoverDb(this, o.primary, o.primaryDb, o.onRead);
  }

  serving(): boolean {
    return this.status === 'up';
  }

  set(status: ReplicaStatus, reason: string | null): void {
    const previous = this.status;
    this.reason = reason;
    if (previous === status) return;
    this.status = status;
    this.since = new Date();
    this.o.onStatusChange?.(this.state(), previous);
  }

  /** A read failed with a connection error: out until a probe that starts after now succeeds. */
  eject(error: unknown): void {
    this.ejectedAt = Date.now();
    this.set('down', `read failed: ${messageOf(error)}`);
  }

  state(): ReplicaState {
    return {
      name: this.name,
      address: this.address,
      status: this.status,
      lagMs: this.lagMs,
      replayPosition: this.replayText,
      reason: this.reason,
      since: this.since,
    };
  }
}

export function openReplicaPool(o: ReplicaPoolOptions): ReplicaPool {
  const replicas = o.urls.map((url, i) => new Replica(`replica-${i + 1}`, url, addressOf(url), o.poolSize, o));
  const probeTimeoutMs = Math.min(5_000, Math.max(1_000, 2 * o.probeIntervalMs));
  // Enough history to tell any lag up to twice the bound.
  const keepMs = 2 * o.maxLagMs + 4 * o.probeIntervalMs;
  const samples: Sample[] = [];
  let next = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  /** How long ago the primary was last at a position `replay` covers; a lower bound when it is behind all history. */
  const lagOf = (replay: bigint, now: number): number => {
    for (let i = samples.length - 1; i >= 0; i--)
      if (samples[i]!.lsn <= replay) return Math.max(0, now - samples[i]!.at);
    return now - (samples[0]?.at ?? now) + o.probeIntervalMs;
  };

  async function probeReplica(r: Replica, primarySampled: boolean): Promise<void> {
    const startedAt = Date.now();
    try {
      if (!r.probeClient) {
        const client = new pg.Client({ connectionString: r.url, connectionTimeoutMillis: probeTimeoutMs });
        client.on('error', () => {}); // surfaces on the next query; the client is replaced then
        r.probeClient = client;
        await client.connect();
      }
      const { rows } = await withTimeout(
        r.probeClient.query<{ standby: boolean; replay: string | null }>(
          'select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as replay',
        ),
        probeTimeoutMs,
      );
      const row = rows[0]!;
      if (!row.standby) return r.set('down', 'not a standby (promoted?): it no longer follows the primary');
      if (row.replay === null) return r.set('down', 'has not replayed any WAL yet');
      const replay = parseLsn(row.replay);
      if (r.replay === null || replay >= r.replay) {
        r.replay = replay;
        r.replayText = row.replay;
      }
      if (r.ejectedAt > startedAt) return; // a read failed while this probe ran: stay out until the next one
      if (!primarySampled) {
        // Without a fresh primary position the lag is unknown: a replica that was up stays up, others wait.
        if (r.status === 'down' && r.lagMs !== null && r.lagMs <= o.maxLagMs) r.set('up', null);
        return;
      }
      r.lagMs = lagOf(replay, Date.now());
      if (r.lagMs > o.maxLagMs)
        r.set('lagging', `replay is ${r.lagMs} ms behind the primary (DATABASE_REPLICA_MAX_LAG_MS=${o.maxLagMs})`);
      else r.set('up', null);
    } catch (error) {
      const client = r.probeClient;
      r.probeClient = undefined;
      client?.end().catch(() => {});
      r.set('down', `probe failed: ${messageOf(error)}`);
    }
  }

  async function round(): Promise<void> {
    const at = Date.now();
    let sampled = false;
    try {
      const { rows } = await withTimeout(
        o.primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn'),
        probeTimeoutMs,
      );
      samples.push({ at, lsn: parseLsn(rows[0]!.lsn) });
      while (samples.length > 2 && samples[1]!.at < at - keepMs) samples.shift();
      sampled = true;
    } catch {
      // The primary is unreachable: replicas keep their last lag verdict.
    }
    await Promise.all(replicas.map((r) => probeReplica(r, sampled)));
  }

  const probeNow = () => (running ??= round().finally(() => (running = undefined)));
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => void probeNow().then(schedule, schedule), o.probeIntervalMs);
    timer.unref();
  };
  void probeNow().then(schedule, schedule);

  return {
    reader(readAfter) {
      let any = false;
      for (let i = 0; i < replicas.length; i++) {
        const r = replicas[(next + i) % replicas.length]!;
        if (!r.serving()) continue;
        any = true;
        if (readAfter !== undefined && (r.replay === null || r.replay < readAfter)) continue;
        next = (next + i + 1) % replicas.length;
        o.onRead?.('replica');
        return r.db;
      }
      o.onRead?.(any ? 'primary_behind' : 'primary_no_replica');
      return o.primaryDb;
    },
    states: () => replicas.map((r) => r.state()),
    probeNow,
    async close() {
      closed = true;
      clearTimeout(timer);
      await running?.catch(() => {});
      await Promise.all(
        replicas.map(async (r) => {
          await r.probeClient?.end().catch(() => {});
          await r.pool.end();
        }),
      );
    },
  };
}

/**
 * A drizzle database over one replica that answers from the primary whatever the replica cannot: while
 * the replica is out, when a query or a transaction on it fails with a connection error (the replica
 * is ejected), and when a hot-standby conflict cancels a query. Only reads are ever given this Db.
 */
function failoverDb(replica: Replica, primary: pg.Pool, primaryDb: Db, onRead: ReplicaPoolOptions['onRead']): Db {
  const db = drizzle({
    client: new ReplicaFailoverPool(replica, primary, onRead) as unknown as pg.Pool,
    schema,
  }) as unknown as Db;
  const transaction = db.transaction.bind(db);
  // A transaction is bound to one connection: when the replica fails in the middle, the whole (read-only)
  // transaction is run again on the primary.
  db.transaction = (async (run, config) => {
    const onReplica = replica.serving();
    try {
      return await transaction(run, config);
    } catch (error) {
      if (!onReplica || !(isReplicaUnavailable(error) || isRecoveryConflict(error))) throw error;
      if (isReplicaUnavailable(error)) replica.eject(error);
      onRead?.('primary_failover');
      return primaryDb.transaction(run, config);
    }
  }) as Db['transaction'];
  return db;
}

/**
 * What drizzle's node-postgres session talks to: `query` and `connect` of a pool. drizzle recognises a
 * pool by its class name (it then checks out a connection for each transaction), hence the name.
 */
class ReplicaFailoverPool {
  constructor(
    private readonly replica: Replica,
    private readonly primary: pg.Pool,
    private readonly onRead: ReplicaPoolOptions['onRead'],
  ) {}

  async query(...args: unknown[]): Promise<unknown> {
    if (this.replica.serving()) {
      try {
        return await (this.replica.pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        if (isReplicaUnavailable(error)) this.replica.eject(error);
        else if (!isRecoveryConflict(error)) throw error;
        this.onRead?.('primary_failover');
      }
    }
    return (this.primary.query as (...a: unknown[]) => Promise<unknown>)(...args);
  }

  async connect(): Promise<pg.PoolClient> {
    if (this.replica.serving()) {
      try {
        return await this.replica.pool.connect();
      } catch (error) {
        if (!isReplicaUnavailable(error)) throw error;
        this.replica.eject(error);
        this.onRead?.('primary_failover');
      }
    }
    return this.primary.connect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
  ]);
}

function messageOf(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown; cause?: { message?: unknown } };
  const text =
    typeof e?.cause?.message === 'string' && /^Failed query/.test(String(e.message)) ? e.cause.message : e?.message;
  return (
    String(text ?? error)
      .split('\n')[0]!
      .slice(0, 200) + (typeof e?.code === 'string' ? ` (${e.code})` : '')
  );
}

function addressOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the configured URL';
  }
}

// Opens the database: embedded PGlite (default) or PostgreSQL through `pg`, behind one drizzle type,
// and applies the migrations in packages/server/migrations before anything else touches it.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { createPgPool } from './create-pg-pool.js';
import type { Db } from './db-types.js';
import {
  openReplicaPool,
  type ReadTarget,
  type ReplicaPool,
  type ReplicaState,
  type ReplicaStatus,
} from './replica-pool.js';
import * as schema from './schema/index.js';
import { parseLsn, visibleAt } from './wal-position.js';

export type { Db, Tx } from './db-types.js';

export interface Database {
  /** The primary: every write and transaction, and reads that must see the latest data. */
  db: Db;
  /**
   * Where a read goes: a healthy replica that has replayed `readAfter` (the caller's last write
   * position, see write-positions.ts; any healthy replica when undefined), otherwise the primary.
   * Never given to code that writes.
   */
  reader(readAfter?: bigint): Db;
  /** The read replicas and their health; undefined without `DATABASE_REPLICA_URLS`. */
  replicas: ReplicaPool | undefined;
  /**
   * A WAL position that covers every transaction committed on the primary so far (called after a
   * commit: a replica that replayed it shows that commit). Only meaningful with replicas.
   */
  writePosition(): Promise<bigint>;
  engine: 'pglite' | 'postgres';
  /** Round-trips to the database; used by the readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: a tarball of the data directory (seeds test databases quickly). */
  dumpDataDir?(): Promise<Blob>;
}

export type DatabaseOptions =
  | {
      engine: 'postgres';
      url: string;
      poolSize?: number;
      replicaUrls?: string[];
      /** Replay lag beyond which a replica is ejected. @default 10000 */
      replicaMaxLagMs?: number;
      /** How often replicas (and the primary's WAL position) are probed. @default 1000 */
      replicaProbeIntervalMs?: number;
      /** Replica status changes and read routing, for metrics and logs. */
      observeReplicas?: {
        onStatusChange?(state: ReplicaState, previous: ReplicaStatus): void;
        onRead?(target: ReadTarget): void;
      };
    }
  /** `dataDir` undefined keeps the database in memory; `loadDataDir` seeds it from a dump. */
  | { engine: 'pglite'; dataDir?: string; loadDataDir?: Blob };

/** The migrations folder, both from sources (src/db) and from the build (dist). */
export function migrationsFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '../../migrations'), join(here, '../migrations')]) {
    if (existsSync(join(candidate, 'meta/_journal.json'))) return candidate;
  }
  throw new Error(`migrations folder not found near ${here}`);
}

// Serialises migrations when several server instances start against one PostgreSQL at once.
const MIGRATION_LOCK_ID = 727_100_001;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.engine === 'postgres') {
    // A connection error (server restart) fails only the query in flight; see create-pg-pool.ts.
    const pool = createPgPool({ url: options.url, max: options.poolSize ?? 10 });
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    const lock = await pool.connect();
    try {
      await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      await migratePg(drizzlePg({ client: lock, schema }), { migrationsFolder: migrationsFolder() });
    } finally {
      await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
      lock.release();
    }
    const replicas = options.replicaUrls?.length
      ? openReplicaPool({
          primary: pool,
          primaryDb: db,
          urls: options.replicaUrls,
          poolSize: options.poolSize ?? 10,
          maxLagMs: options.replicaMaxLagMs ?? 10_000,
          probeIntervalMs: options.replicaProbeIntervalMs ?? 1_000,
          ...options.observeReplicas,
        })
      : undefined;
    return {
      db,
      reader: replicas ? (readAfter) => replicas.reader(readAfter) : () => db,
      replicas,
      async writePosition() {
        const { rows } = await pool.query<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn');
        return visibleAt(parseLsn(rows[0]!.lsn));
      },
      engine: 'postgres',
      ping: async () => void (await pool.query('select 1')),
      close: async () => void (await Promise.all([replicas?.close(), pool.end()])),
    };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: { pg_trgm },
  });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  await migratePglite(drizzlePglite({ client, schema }), { migrationsFolder: migrationsFolder() });
  return {
    db,
    reader: () => db,
    replicas: undefined,
    writePosition: async () => 0n,
    engine: 'pglite',
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.close(),
    dumpDataDir: async () => client.dumpDataDir('none'),
  };
}

// Opens the database: embedded PGlite (default) or PostgreSQL through `pg`, behind one drizzle type,
// and applies the migrations in packages/server/migrations before anything else touches it.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  /** The primary: every write and transaction, and reads that must see the latest data. */
  db: Db;
  /**
   * Where a read for `key` (a user id) should go: a replica when replicas are configured, unless
   * `key` wrote within the sticky window (read-your-writes), then the primary.
   */
  reader(key: string): Db;
  /** Records that `key` just wrote, so its reads stay on the primary for the sticky window. */
  noteWrite(key: string): void;
  engine: 'pglite' | 'postgres';
  /** Round-trips to the database; used by the readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: a tarball of the data directory (seeds test databases quickly). */
  dumpDataDir?(): Promise<Blob>;
}

export type DatabaseOptions =
  | { engine: 'postgres'; url: string; poolSize?: number; replicaUrls?: string[]; replicaStickyMs?: number }
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
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client's connection error (server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    const lock = await pool.connect();
    try {
      await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      await migratePg(drizzlePg({ client: lock, schema }), { migrationsFolder: migrationsFolder() });
    } finally {
      await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
      lock.release();
    }
    const replicaPools = (options.replicaUrls ?? []).map((url) => {
      const replica = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
      replica.on('error', () => {});
      return replica;
    });
    const routing = readRouting(db, replicaPools.map((client) => drizzlePg({ client, schema }) as unknown as Db), options.replicaStickyMs ?? 5000);
    return {
      db,
      ...routing,
      engine: 'postgres',
      ping: async () => void (await pool.query('select 1')),
      close: async () => void (await Promise.all([pool.end(), ...replicaPools.map((r) => r.end())])),
    };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, extensions: { pg_trgm } });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  await migratePglite(drizzlePglite({ client, schema }), { migrationsFolder: migrationsFolder() });
  return {
    db,
    ...readRouting(db, [], 0),
    engine: 'pglite',
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.close(),
    dumpDataDir: async () => client.dumpDataDir('none'),
  };
}

/** Spreads reads over replicas, except for keys that wrote within `stickyMs` (read-your-writes). */
function readRouting(primary: Db, replicas: Db[], stickyMs: number): Pick<Database, 'reader' | 'noteWrite'> {
  if (replicas.length === 0) return { reader: () => primary, noteWrite: () => {} };
  const lastWrite = new Map<string, number>();
  let next = 0;
  return {
    reader(key) {
      const at = lastWrite.get(key);
      if (at !== undefined && Date.now() - at < stickyMs) return primary;
      if (at !== undefined) lastWrite.delete(key);
      next = (next + 1) % replicas.length;
      return replicas[next]!;
    },
    noteWrite(key) {
      lastWrite.set(key, Date.now());
      // Bounded memory: forget the oldest writers when the map grows large.
      if (lastWrite.size > 100_000) for (const k of [...lastWrite.keys()].slice(0, 10_000)) lastWrite.delete(k);
    },
  };
}

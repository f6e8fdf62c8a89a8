// How many migrations the database has applied (drizzle's own bookkeeping table), for the startup log.
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';

export async function appliedMigrations(db: Db): Promise<number> {
  // Raw SQL: drizzle exposes no query over its migrations table.
  const { rows } = (await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as {
    rows: { n: number }[];
  };
  return rows[0]?.n ?? 0;
}

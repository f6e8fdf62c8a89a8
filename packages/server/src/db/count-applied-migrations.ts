// How many migrations a PostgreSQL database has applied, read without applying any (0 for a new one).
import type pg from 'pg';

export async function countAppliedMigrations(client: pg.Client): Promise<number> {
  // Raw SQL: drizzle has no query over its own migrations table, which a new database lacks altogether.
  const { rows } = await client.query<{ present: boolean }>(
    "select to_regclass('drizzle.__drizzle_migrations') is not null as present",
  );
  if (!rows[0]?.present) return 0;
  const counted = await client.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
  return counted.rows[0]?.n ?? 0;
}

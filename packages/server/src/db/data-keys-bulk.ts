// Stores a batch of rewrapped data keys in one statement. Raw SQL because drizzle cannot express an
// UPDATE … FROM a record set: one JSON parameter (keys base64) expanded by jsonb_to_recordset, on
// PostgreSQL and PGlite alike. A row is only updated while it still has the KEK version it was read
// with, so a key replaced meanwhile (a re-sealed object) is never overwritten with an older one.
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';

export interface RewrappedKey {
  id: string;
  fromVersion: number;
  kekVersion: number;
  wrappedKey: Uint8Array;
}

/** Answers how many rows changed. */
export async function storeRewrappedKeys(db: Db, rows: readonly RewrappedKey[]): Promise<number> {
  if (!rows.length) return 0;
  const payload = JSON.stringify(
    rows.map((r) => ({ i: r.id, f: r.fromVersion, v: r.kekVersion, k: Buffer.from(r.wrappedKey).toString('base64') })),
  );
  const result = await db.execute(sql`
    update data_keys d set wrapped_key = decode(t.k, 'base64'), kek_version = t.v, rewrapped_at = now()
    from jsonb_to_recordset(${payload}::jsonb) as t(i uuid, f integer, v integer, k text)
    where d.id = t.i and d.kek_version = t.f`);
  return Number(
    (result as { rowCount?: number; affectedRows?: number }).rowCount ??
      (result as { affectedRows?: number }).affectedRows ??
      0,
  );
}

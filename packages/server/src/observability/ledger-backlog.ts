// The ledger backlog gauge's query: one COUNT over the partial index of unbatched outbox rows.
import { count, isNull } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { ledgerOutbox } from '../db/schema/index.js';

export async function countLedgerBacklog(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(ledgerOutbox).where(isNull(ledgerOutbox.batchId));
  return row?.n ?? 0;
}

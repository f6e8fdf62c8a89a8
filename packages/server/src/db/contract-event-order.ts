// Commit order for contract events. A sequence hands out ids at insert, not at commit: without this
// lock, a transaction holding id 5 could commit after one holding id 6, and a stream that had read 6
// would never see 5. Every writer takes this transaction-scoped lock right before inserting its
// events; it is held until commit, so ids are assigned, and become visible, in commit order. The cost
// is that event-writing commits are serialized (the lock is held only from the insert to the commit,
// the last step of each transaction). Raw SQL: drizzle has no advisory locks or sequence reads.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from './database.js';

const CONTRACT_EVENT_ORDER_LOCK = 727_100_002;

export async function lockContractEventOrder(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CONTRACT_EVENT_ORDER_LOCK})`);
}

/** The highest event id ever handed out (0 before any), deleted or not. */
export async function lastIssuedEventId(db: Db): Promise<number> {
  const { rows } = (await db.execute(sql`select last_value, is_called from contract_events_id_seq`)) as unknown as {
    rows: { last_value: string | number; is_called: boolean }[];
  };
  return rows[0]?.is_called ? Number(rows[0].last_value) : 0;
}

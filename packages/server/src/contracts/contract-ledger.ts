// Where contracts stand on the ledger: the status of each contract's latest event, and the bounded
// wait a caller may ask for so that a response carries the anchoring transaction (the seed's flows).
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { ledgerOutbox } from '../db/schema/index.js';
import type { Contract } from '../generated/schemas.js';
import { ledgerStatusByContract } from '../ledger/ledger-records.js';
import { waitForAnchor } from '../ledger/wait-for-anchor.js';
import type { Services } from '../services.js';

/** The contracts with the ledger status of their latest event (one query for a whole page). */
export async function withLedgerStatus<T extends Contract>(db: Db, list: T[]): Promise<T[]> {
  const status = await ledgerStatusByContract(
    db,
    list.map((c) => c.id),
  );
  return list.map((c) => ({ ...c, ledger: status.get(c.id) ?? c.ledger }));
}

/**
 * Waits up to `seconds` for the contract's latest event (the change just made) to be anchored and
 * returns the contract with that event's ledger record; on timeout, with the status reached so far.
 */
export async function afterAnchor(
  s: Pick<Services, 'database' | 'ledger'>,
  contract: Contract,
  seconds: number,
): Promise<Contract> {
  if (seconds <= 0) return contract;
  const [latest] = await s.database.db
    .select({ auditEventId: ledgerOutbox.auditEventId })
    .from(ledgerOutbox)
    .where(eq(ledgerOutbox.contractId, contract.id))
    .orderBy(desc(ledgerOutbox.id))
    .limit(1);
  if (!latest) return contract;
  const record = await waitForAnchor(s, latest.auditEventId, { timeoutMs: seconds * 1000 });
  if (!record) return contract;
  const { status, batchId, transactionHash, blockNumber } = record;
  return { ...contract, ledger: { status, batchId, transactionHash, blockNumber } };
}

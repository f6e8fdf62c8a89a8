// Inserts a batch's Merkle leaves in one statement. Raw SQL because drizzle cannot express it: a
// multi-row VALUES insert binds 6 parameters per leaf (6,000 for a batch of 1,000) and costs several
// times more in parsing than the rows themselves; one JSON parameter expanded by jsonb_to_recordset
// does the same in a single bind on PostgreSQL and PGlite alike.
import { sql } from 'drizzle-orm';
import type { Tx } from './database.js';

export interface LeafRow {
  auditEventId: string;
  organizationId: string;
  eventHash: string;
  leaf: string;
  proof: string[];
}

export async function insertLedgerLeaves(tx: Tx, batchId: string, leaves: readonly LeafRow[]): Promise<void> {
  const payload = JSON.stringify(
    leaves.map((l) => ({ a: l.auditEventId, o: l.organizationId, h: l.eventHash, l: l.leaf, p: l.proof })),
  );
  await tx.execute(sql`
    insert into ledger_leaves (audit_event_id, organization_id, batch_id, event_hash, leaf, proof)
    select a, o, ${batchId}::uuid, h, l, p from jsonb_to_recordset(${payload}::jsonb) as t(a uuid, o uuid, h text, l text, p jsonb)`);
}

// Appends an event to its organization's audit chain and queues its hash for anchoring, inside the
// caller's transaction: the change, its audit event and its outbox row commit together or not at all.
import { computeAuditEventHash, GENESIS_HASH } from '@cms/sdk';
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { fenceIdempotencyClaim } from '../db/idempotency-fence.js';
import { auditChainHeads, auditEvents, ledgerOutbox } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';

export interface NewAuditEvent {
  organizationId: string;
  actorDid: string;
  action: string;
  resource: { type: string; id: string };
  data: Record<string, unknown>;
  /** Anchor on the ledger (default true). */
  anchor?: boolean;
  /** Contract the event concerns, for per-contract ledger status. */
  contractId?: string;
  occurredAt?: Date;
}

export async function recordEvent(tx: Tx, event: NewAuditEvent): Promise<typeof auditEvents.$inferSelect> {
  // Before the chain head is locked: a request under an Idempotency-Key commits only while it holds the key.
  await fenceIdempotencyClaim(tx, event.resource);
  // Creates the chain head on first use, then locks it: appends to one chain are serialized.
  await tx
    .insert(auditChainHeads)
    .values({ organizationId: event.organizationId, seq: 0, headHash: GENESIS_HASH })
    .onConflictDoNothing();
  const [head] = await tx
    .select()
    .from(auditChainHeads)
    .where(eq(auditChainHeads.organizationId, event.organizationId))
    .for('update');
  const id = uuidv7();
  const occurredAt = event.occurredAt ?? new Date();
  const seq = head!.seq + 1;
  const hash = await computeAuditEventHash({
    id,
    organizationId: event.organizationId,
    seq,
    occurredAt: occurredAt.toISOString(),
    actorDid: event.actorDid,
    action: event.action,
    resource: event.resource,
    data: event.data,
    prevHash: head!.headHash,
  });
  const [row] = await tx
    .insert(auditEvents)
    .values({
      id,
      organizationId: event.organizationId,
      seq,
      occurredAt,
      actorDid: event.actorDid,
      action: event.action,
      resourceType: event.resource.type,
      resourceId: event.resource.id,
      data: event.data,
      prevHash: head!.headHash,
      hash,
    })
    .returning();
  await tx
    .update(auditChainHeads)
    .set({ seq, headHash: hash })
    .where(eq(auditChainHeads.organizationId, event.organizationId));
  if (event.anchor !== false) {
    await tx.insert(ledgerOutbox).values({
      id: uuidv7(),
      organizationId: event.organizationId,
      auditEventId: id,
      eventHash: hash,
      contractId: event.contractId ?? null,
    });
  }
  return row!;
}

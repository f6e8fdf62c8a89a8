// `contract.anchored`: one event per contract with events in a batch, written in the transaction that
// marks the batch confirmed.
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { contracts, ledgerOutbox } from '../db/schema/index.js';
import type { EventNotice } from './event-bus.js';
import { recordContractEvents } from './record-contract-events.js';

export interface ConfirmedBatch {
  id: string;
  chainId: number | null;
  transactionHash: string;
  blockNumber: number;
}

export async function recordAnchoredEvents(tx: Tx, batch: ConfirmedBatch, now: Date): Promise<EventNotice | undefined> {
  // Joined with contracts: an outbox row may name no contract (organization events) or, written by
  // other tools, one that is not stored here; the batch must be confirmed all the same.
  const rows = await tx
    .selectDistinct({ contractId: contracts.id, organizationId: contracts.organizationId })
    .from(ledgerOutbox)
    .innerJoin(contracts, eq(contracts.id, ledgerOutbox.contractId))
    .where(and(eq(ledgerOutbox.batchId, batch.id), isNotNull(ledgerOutbox.contractId)));
  const payload = {
    batchId: batch.id,
    ...(batch.chainId !== null && { chainId: batch.chainId }),
    transactionHash: batch.transactionHash,
    blockNumber: batch.blockNumber,
  };
  return recordContractEvents(
    tx,
    rows.map((c) => ({
      organizationId: c.organizationId,
      contractId: c.contractId,
      type: 'contract.anchored' as const,
      payload,
      occurredAt: now,
    })),
  );
}

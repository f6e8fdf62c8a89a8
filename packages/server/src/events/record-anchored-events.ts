// `contract.anchored`: one event per contract with events in a batch, written in the transaction that
// marks the batch confirmed.
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { ledgerOutbox } from '../db/schema/index.js';
import type { EventNotice } from './event-bus.js';
import { recordContractEvents } from './record-contract-events.js';

export interface ConfirmedBatch {
  id: string;
  chainId: number | null;
  transactionHash: string;
  blockNumber: number;
}

export async function recordAnchoredEvents(tx: Tx, batch: ConfirmedBatch, now: Date): Promise<EventNotice | undefined> {
  const contracts = await tx
    .selectDistinct({ contractId: ledgerOutbox.contractId, organizationId: ledgerOutbox.organizationId })
    .from(ledgerOutbox)
    .where(and(eq(ledgerOutbox.batchId, batch.id), isNotNull(ledgerOutbox.contractId)));
  const payload = { batchId: batch.id, ...(batch.chainId !== null && { chainId: batch.chainId }), transactionHash: batch.transactionHash, blockNumber: batch.blockNumber };
  return recordContractEvents(
    tx,
    contracts.map((c) => ({ organizationId: c.organizationId, contractId: c.contractId!, type: 'contract.anchored' as const, payload, occurredAt: now })),
  );
}

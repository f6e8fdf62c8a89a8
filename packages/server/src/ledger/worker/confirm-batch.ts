// Follows a submitted batch until its transaction is `confirmations` blocks deep on the canonical chain.
// A transaction that vanished (dropped from the mempool, or its block re-orged away) or reverted sends the
// batch back to `pending`, to be anchored again; the root, and so every proof, stays the same.

import { contractLedgerAbi } from '@cms/sdk/evm';
import {
  getAddress,
  type Hex,
  parseEventLogs,
  TransactionNotFoundError,
  type TransactionReceipt,
  TransactionReceiptNotFoundError,
} from 'viem';
import type { Db } from '../../db/database.js';
import { announceEvents } from '../../events/announce-events.js';
import { recordAnchoredEvents } from '../../events/record-anchored-events.js';
import { findAnchorLog, type LedgerChain, readAnchor } from '../chain/ledger-chain.js';
import type { LedgerBatchRow } from './claim-batch.js';
import { updateLeasedBatch } from './lease-batches.js';

export interface ConfirmOptions {
  /** How long a transaction may be unknown to the node before it counts as dropped. @default 5000 */
  dropAfterMs?: number;
  /** Anchoring attempts before a batch is marked `failed`. @default 10 */
  maxAttempts?: number;
}

export async function confirmBatch(
  db: Db,
  chain: LedgerChain,
  workerId: string,
  batch: LedgerBatchRow,
  o: ConfirmOptions = {},
): Promise<void> {
  const hash = batch.transactionHash as Hex;
  const receipt = await chain.client.getTransactionReceipt({ hash }).catch((e) => {
    if (e instanceof TransactionReceiptNotFoundError) return null;
    throw e;
  });
  if (!receipt) return handleMissing(db, chain, workerId, batch, o);
  if (receipt.status !== 'success')
    return sendBack(db, chain, workerId, batch, `anchor transaction ${hash} reverted`, o);
  // A call to an address without code "succeeds" too (the ledger is gone): only the Anchored log counts.
  const ledger = getAddress(chain.ledgerAddress);
  const anchored = parseEventLogs({ abi: contractLedgerAbi, eventName: 'Anchored', logs: receipt.logs }).some(
    (l) => getAddress(l.address) === ledger && l.args.root === batch.root,
  );
  if (!anchored)
    return sendBack(
      db,
      chain,
      workerId,
      batch,
      `anchor transaction ${hash} did not anchor the root on the ledger ${ledger}`,
      o,
    );
  const head = await chain.client.getBlockNumber({ cacheTime: 0 });
  if (head - receipt.blockNumber + 1n < BigInt(chain.confirmations)) {
    await updateLeasedBatch(db, batch.id, workerId, {
      blockNumber: Number(receipt.blockNumber),
      blockHash: receipt.blockHash,
    });
    return;
  }
  // The receipt's block must still be the canonical block at that height.
  const block = await chain.client.getBlock({ blockNumber: receipt.blockNumber });
  if (block.hash !== receipt.blockHash) return;
  await markConfirmed(db, workerId, batch, receipt, block.timestamp);
}

/** Marks the batch confirmed and writes its `contract.anchored` events in one transaction. */
async function markConfirmed(
  db: Db,
  workerId: string,
  batch: LedgerBatchRow,
  receipt: Pick<TransactionReceipt, 'blockNumber' | 'blockHash' | 'transactionHash'>,
  blockTime: bigint,
) {
  const now = new Date();
  const notice = await db.transaction(async (tx) => {
    const held = await updateLeasedBatch(tx, batch.id, workerId, {
      status: 'confirmed',
      transactionHash: receipt.transactionHash,
      blockNumber: Number(receipt.blockNumber),
      blockHash: receipt.blockHash,
      // The contract records block.timestamp for the root.
      anchoredAt: new Date(Number(blockTime) * 1000),
      confirmedAt: now,
      lastError: null,
    });
    if (!held) return undefined;
    return recordAnchoredEvents(
      tx,
      {
        id: batch.id,
        chainId: batch.chainId,
        transactionHash: receipt.transactionHash,
        blockNumber: Number(receipt.blockNumber),
      },
      now,
    );
  });
  announceEvents(db, notice);
}

async function handleMissing(db: Db, chain: LedgerChain, workerId: string, batch: LedgerBatchRow, o: ConfirmOptions) {
  const hash = batch.transactionHash as Hex;
  const pendingTx = await chain.client.getTransaction({ hash }).catch((e) => {
    if (e instanceof TransactionNotFoundError) return null;
    throw e;
  });
  if (pendingTx) return void (await updateLeasedBatch(db, batch.id, workerId, {})); // still in the mempool
  if (Date.now() - (batch.submittedAt?.getTime() ?? 0) < (o.dropAfterMs ?? 5_000))
    return void (await updateLeasedBatch(db, batch.id, workerId, {}));
  return sendBack(db, chain, workerId, batch, `anchor transaction ${hash} was dropped or re-orged away`, o);
}

async function sendBack(
  db: Db,
  chain: LedgerChain,
  workerId: string,
  batch: LedgerBatchRow,
  reason: string,
  o: ConfirmOptions,
) {
  // Another transaction (an earlier attempt, another instance) may have anchored the root meanwhile.
  if ((await readAnchor(chain, batch.root as Hex)).anchoredAt !== 0n) {
    const log = await findAnchorLog(chain, batch.root as Hex);
    if (log) {
      await updateLeasedBatch(db, batch.id, workerId, {
        status: 'submitted',
        transactionHash: log.transactionHash,
        blockNumber: Number(log.blockNumber),
        blockHash: log.blockHash,
      });
      return;
    }
  }
  chain.nonces.reset();
  const failed = batch.attempts >= (o.maxAttempts ?? 10);
  await updateLeasedBatch(db, batch.id, workerId, {
    status: failed ? 'failed' : 'pending',
    lastError: reason,
    blockNumber: null,
    blockHash: null,
  });
}

// Sends the one `anchor(root, leafCount)` transaction of a batch. A batch sent before (then dropped or
// re-orged away, or sent by a worker that died before recording it) is first looked up on chain: if its
// root is anchored after all, that transaction is kept.

import { contractLedgerAbi } from '@cms/sdk/evm';
import { encodeFunctionData, type Hex } from 'viem';
import type { Db } from '../../db/database.js';
import { findAnchorLog, type LedgerChain, readAnchor } from '../chain/ledger-chain.js';
import { sendTransaction } from '../chain/send-transaction.js';
import type { LedgerBatchRow } from './claim-batch.js';
import { updateLeasedBatch } from './lease-batches.js';

/**
 * `leftOver`: the batch was found pending rather than just claimed, so a worker that died (kill -9)
 * between sending its transaction and recording it may have anchored it already, with `attempts` still 0.
 */
export async function submitBatch(
  db: Db,
  chain: LedgerChain,
  workerId: string,
  batch: LedgerBatchRow,
  o: { leftOver?: boolean } = {},
): Promise<void> {
  const root = batch.root as Hex;
  if ((batch.attempts > 0 || o.leftOver) && (await readAnchor(chain, root)).anchoredAt !== 0n) {
    const log = await findAnchorLog(chain, root);
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
  const data = encodeFunctionData({ abi: contractLedgerAbi, functionName: 'anchor', args: [root, batch.leafCount] });
  const sent = await sendTransaction(chain.client, chain.account, chain.nonces, {
    to: chain.ledgerAddress,
    data,
    chainId: await chain.chainId(),
  });
  await updateLeasedBatch(db, batch.id, workerId, {
    status: 'submitted',
    transactionHash: sent.hash,
    sender: chain.account.address,
    nonce: sent.nonce,
    blockNumber: null,
    blockHash: null,
    attempts: batch.attempts + 1,
    submittedAt: new Date(),
    lastError: null,
  });
}

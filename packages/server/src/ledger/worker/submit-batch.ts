// Sends the one `anchor(root, leafCount)` transaction of a batch. A batch sent before (then dropped or
// re-orged away) is first looked up on chain: if its root is anchored after all, that transaction is kept.
import { encodeFunctionData, type Hex } from 'viem';
import type { Db } from '../../db/database.js';
import { contractLedgerAbi } from '../../generated/contract-ledger.js';
import { findAnchorLog, readAnchor, type LedgerChain } from '../chain/ledger-chain.js';
import { sendTransaction } from '../chain/send-transaction.js';
import type { LedgerBatchRow } from './claim-batch.js';
import { updateLeasedBatch } from './lease-batches.js';

export async function submitBatch(db: Db, chain: LedgerChain, workerId: string, batch: LedgerBatchRow): Promise<void> {
  const root = batch.root as Hex;
  if (batch.attempts > 0 && (await readAnchor(chain, root)).anchoredAt !== 0n) {
    const log = await findAnchorLog(chain, root);
    if (log) {
      await updateLeasedBatch(db, batch.id, workerId, { status: 'submitted', transactionHash: log.transactionHash, blockNumber: Number(log.blockNumber), blockHash: log.blockHash });
      return;
    }
  }
  const data = encodeFunctionData({ abi: contractLedgerAbi, functionName: 'anchor', args: [root, batch.leafCount] });
  const sent = await sendTransaction(chain.client, chain.account, chain.nonces, { to: chain.ledgerAddress, data, chainId: await chain.chainId() });
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

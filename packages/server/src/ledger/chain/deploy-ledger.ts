// Deploys ContractLedger (the deployer becomes owner and first recorder) and authorizes more recorders.
import { encodeFunctionData, type Address, type Hex, type PublicClient } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { contractLedgerAbi, contractLedgerBytecode } from '../../generated/contract-ledger.js';
import { createNonceManager } from './nonce-manager.js';
import { sendTransaction } from './send-transaction.js';

export interface LedgerDeployment {
  address: Address;
  transactionHash: Hex;
  blockNumber: number;
}

/** Deploys the ledger contract and waits for its receipt. */
export async function deployLedger(client: PublicClient, owner: PrivateKeyAccount): Promise<LedgerDeployment> {
  const chainId = await client.getChainId();
  const { hash } = await sendTransaction(client, owner, createNonceManager(client, owner.address), { data: contractLedgerBytecode, chainId });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !receipt.contractAddress) throw new Error(`ledger deployment ${hash} failed`);
  return { address: receipt.contractAddress, transactionHash: hash, blockNumber: Number(receipt.blockNumber) };
}

/** Allows (or disallows) `recorder` to anchor roots; `owner` must own the ledger. */
export async function setRecorder(client: PublicClient, owner: PrivateKeyAccount, ledger: Address, recorder: Address, allowed = true): Promise<void> {
  const chainId = await client.getChainId();
  const data = encodeFunctionData({ abi: contractLedgerAbi, functionName: 'setRecorder', args: [recorder, allowed] });
  const { hash } = await sendTransaction(client, owner, createNonceManager(client, owner.address), { to: ledger, data, chainId });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`setRecorder ${hash} reverted`);
}

// Deploys ContractLedger (the deployer becomes owner and first recorder) and authorizes more recorders.

import { contractLedgerAbi } from '@cms/sdk/evm';
import { type Address, encodeFunctionData, type Hex, type PublicClient } from 'viem';
import type { LocalAccount } from 'viem/accounts';
import { contractLedgerBytecodes } from '../../generated/contract-ledger-bytecode.js';
import { createNonceManager } from './nonce-manager.js';
import { sendTransaction } from './send-transaction.js';

export interface LedgerDeployment {
  address: Address;
  transactionHash: Hex;
  blockNumber: number;
}

/** The EVM versions ContractLedger is compiled for; `petersburg` (the default) runs on every EVM since 2019. */
export type LedgerEvmVersion = keyof typeof contractLedgerBytecodes;
export const LEDGER_EVM_VERSIONS = Object.keys(contractLedgerBytecodes) as LedgerEvmVersion[];

/** Deploys the ledger contract (compiled for `evmVersion`) and waits for its receipt. */
export async function deployLedger(
  client: PublicClient,
  owner: LocalAccount,
  options: { evmVersion?: LedgerEvmVersion } = {},
): Promise<LedgerDeployment> {
  const chainId = await client.getChainId();
  const data = contractLedgerBytecodes[options.evmVersion ?? 'petersburg'];
  const { hash } = await sendTransaction(client, owner, createNonceManager(client, owner.address), { data, chainId });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !receipt.contractAddress) throw new Error(`ledger deployment ${hash} failed`);
  return { address: receipt.contractAddress, transactionHash: hash, blockNumber: Number(receipt.blockNumber) };
}

/** Sends `value` wei from `owner` to `to` (gas for a recorder) and waits for the receipt. */
export async function fundAccount(client: PublicClient, owner: LocalAccount, to: Address, value: bigint): Promise<Hex> {
  const chainId = await client.getChainId();
  const { hash } = await sendTransaction(client, owner, createNonceManager(client, owner.address), {
    to,
    data: '0x',
    value,
    chainId,
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`transfer ${hash} failed`);
  return hash;
}

/** Allows (or disallows) `recorder` to anchor roots; `owner` must own the ledger. */
export async function setRecorder(
  client: PublicClient,
  owner: LocalAccount,
  ledger: Address,
  recorder: Address,
  allowed = true,
): Promise<void> {
  const chainId = await client.getChainId();
  const data = encodeFunctionData({ abi: contractLedgerAbi, functionName: 'setRecorder', args: [recorder, allowed] });
  const { hash } = await sendTransaction(client, owner, createNonceManager(client, owner.address), {
    to: ledger,
    data,
    chainId,
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`setRecorder ${hash} reverted`);
}

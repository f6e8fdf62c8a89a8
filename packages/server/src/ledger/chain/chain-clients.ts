// viem clients for the ledger: reads through a `fallback` over every configured RPC URL, and a local
// account that signs anchoring transactions itself (the node never holds the key).
import { createPublicClient, fallback, http, type PublicClient, type Transport } from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';

export interface ChainClients {
  publicClient: PublicClient;
  /** The account of `privateKey`, when one is given. */
  account: PrivateKeyAccount;
}

export function createChainClients(options: {
  rpcUrls: string[];
  privateKey: `0x${string}`;
  timeoutMs?: number;
}): ChainClients;
export function createChainClients(options: {
  rpcUrls: string[];
  timeoutMs?: number;
}): Pick<ChainClients, 'publicClient'>;
export function createChainClients(options: {
  rpcUrls: string[];
  privateKey?: `0x${string}`;
  timeoutMs?: number;
}): Partial<ChainClients> & Pick<ChainClients, 'publicClient'> {
  const timeout = options.timeoutMs ?? 10_000;
  // retryCount 0: the anchoring worker has its own backoff, and a dead node should fail over at once.
  const transports: Transport[] = options.rpcUrls.map((url) =>
    http(url, { timeout, retryCount: 0, batch: { wait: 0 } }),
  );
  const transport = transports.length === 1 ? transports[0]! : fallback(transports, { retryCount: 0 });
  return {
    publicClient: createPublicClient({ transport, pollingInterval: 250 }) as PublicClient,
    account: options.privateKey && privateKeyToAccount(options.privateKey),
  };
}

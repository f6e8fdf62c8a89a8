// Nonces of one signing key: read from the node once, then counted locally; re-read after any failure,
// because a failed send may or may not have consumed the nonce, and a restarted or re-orged chain may
// have forgotten transactions.
import type { Address, PublicClient } from 'viem';

export interface NonceManager {
  /** Runs `send` with the next nonce; sends of one key are serialized. */
  use<T>(send: (nonce: number) => Promise<T>): Promise<T>;
  /** Forget the local count (e.g. after the chain restarted). */
  reset(): void;
}

export function createNonceManager(client: PublicClient, address: Address): NonceManager {
  let next: number | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    use<T>(send: (nonce: number) => Promise<T>): Promise<T> {
      const run = queue.then(async () => {
        next ??= await client.getTransactionCount({ address, blockTag: 'pending' });
        try {
          const result = await send(next);
          next++;
          return result;
        } catch (error) {
          next = undefined;
          throw error;
        }
      });
      queue = run.catch(() => {});
      return run;
    },
    reset() {
      next = undefined;
    },
  };
}

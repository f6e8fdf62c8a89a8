// The page's did:key, kept in localStorage so a reload signs as the same party.
// A demo's choice: any script on this origin can read localStorage. A real app keeps the key in a
// wallet, behind a passkey, or as a non-extractable WebCrypto key.
import { type DidKeyPair, didKeyFromPrivateKey, generateDidKey } from '@cms/sdk';

const STORAGE_KEY = 'cms-example:did-key';

/** The stored did:key, or a new one (then stored); `created` says which. */
export async function loadOrCreateDidKey(
  storage: Storage = localStorage,
): Promise<{ key: DidKeyPair; created: boolean }> {
  const stored = storage.getItem(STORAGE_KEY);
  if (stored) return { key: await didKeyFromPrivateKey(stored), created: false };
  const key = await generateDidKey();
  storage.setItem(STORAGE_KEY, key.privateKey);
  return { key, created: true };
}

/** Forgets the stored key: the next run signs as a new party. */
export function forgetDidKey(storage: Storage = localStorage): void {
  storage.removeItem(STORAGE_KEY);
}

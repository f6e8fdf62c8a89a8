// The browser's own did:key. Where WebCrypto has Ed25519, the private key is imported as a
// non-extractable CryptoKey: it can sign, but no script (ours included) can ever read it back. Where it
// has not, the key lives only sealed under a passphrase (backup.ts) and is unlocked into memory to sign.
import { type DidSigner, didKeyFromPrivateKey, didKeySigner } from '@cms/sdk';
import { type KeyBackup, openSeed, sealSeed } from './backup';

/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410). */
const PKCS8_PREFIX = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);

export type StoredIdentity =
  | { did: string; kind: 'webcrypto'; privateKey: CryptoKey; backup: KeyBackup }
  | { did: string; kind: 'sealed'; backup: KeyBackup };

async function importNonExtractable(seed: Uint8Array): Promise<CryptoKey> {
  const pkcs8 = new Uint8Array(PKCS8_PREFIX.length + 32);
  pkcs8.set(PKCS8_PREFIX);
  pkcs8.set(seed, PKCS8_PREFIX.length);
  return crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
}

let ed25519Support: Promise<boolean> | undefined;
/** Whether this browser signs Ed25519 in WebCrypto (Chromium ≥ 137, Firefox ≥ 129, Safari ≥ 17). */
export function supportsWebCryptoEd25519(): Promise<boolean> {
  return (ed25519Support ??= importNonExtractable(new Uint8Array(32)).then(
    () => true,
    () => false,
  ));
}

/** An identity from a seed: the seed is sealed for the backup and, where possible, imported non-extractable. */
async function identityFromSeed(seed: Uint8Array, passphrase: string, backup?: KeyBackup): Promise<StoredIdentity> {
  const { did } = await didKeyFromPrivateKey(seed);
  const sealed = backup ?? (await sealSeed(seed, did, passphrase));
  if (await supportsWebCryptoEd25519())
    return { did, kind: 'webcrypto', privateKey: await importNonExtractable(seed), backup: sealed };
  return { did, kind: 'sealed', backup: sealed };
}

/** A new did:key; `passphrase` seals its backup (and, without WebCrypto Ed25519, the key itself). */
export async function createIdentity(passphrase: string): Promise<StoredIdentity> {
  const seed = crypto.getRandomValues(new Uint8Array(32));
  try {
    return await identityFromSeed(seed, passphrase);
  } finally {
    seed.fill(0);
  }
}

/** The identity of a backup file, opened with its passphrase. */
export async function importIdentity(backup: KeyBackup, passphrase: string): Promise<StoredIdentity> {
  const seed = await openSeed(backup, passphrase);
  try {
    const identity = await identityFromSeed(seed, passphrase, backup);
    if (identity.did !== backup.did) throw new Error('The backup’s key does not match its DID.');
    return identity;
  } finally {
    seed.fill(0);
  }
}

/** A signer for the identity: the non-extractable key, or the sealed key unlocked with `passphrase`. */
export async function identitySigner(identity: StoredIdentity, passphrase?: string): Promise<DidSigner> {
  if (identity.kind === 'webcrypto') {
    const { privateKey } = identity;
    return {
      did: identity.did,
      algorithm: 'EdDSA',
      sign: async (message) =>
        new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, message as Uint8Array<ArrayBuffer>)),
    };
  }
  if (passphrase === undefined) throw new TypeError('This key is sealed: its passphrase is needed to sign.');
  return didKeySigner(await openSeed(identity.backup, passphrase));
}

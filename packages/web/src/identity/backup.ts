// The encrypted key backup: the 32-byte Ed25519 seed sealed with AES-256-GCM under a key derived from a
// passphrase (PBKDF2-SHA-256, 600 000 iterations, OWASP 2023). The same sealed form is what a browser
// without Ed25519 in WebCrypto keeps in IndexedDB, unlocked with the passphrase when it signs.

export const BACKUP_TYPE = 'cms.did-key-backup.v1';
const ITERATIONS = 600_000;

export interface KeyBackup {
  type: typeof BACKUP_TYPE;
  did: string;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; iv: string; ciphertext: string };
  createdAt: string;
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)) as Uint8Array<ArrayBuffer>;
/** WebCrypto takes ArrayBuffer-backed views only. */
const bytes = (u: Uint8Array) => u as Uint8Array<ArrayBuffer>;

async function passphraseKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: bytes(salt), iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Seals `seed` (the did's private key) under `passphrase`; the DID is bound as additional data. */
export async function sealSeed(seed: Uint8Array, did: string, passphrase: string): Promise<KeyBackup> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await passphraseKey(passphrase, salt, ITERATIONS);
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(did) },
      key,
      bytes(seed),
    ),
  );
  return {
    type: BACKUP_TYPE,
    did,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: ITERATIONS, salt: b64(salt) },
    cipher: { name: 'AES-GCM', iv: b64(iv), ciphertext: b64(ciphertext) },
    createdAt: new Date().toISOString(),
  };
}

export class BackupError extends Error {
  override name = 'BackupError';
}

/** The seed of a backup; a wrong passphrase or an altered file is a `BackupError`. */
export async function openSeed(backup: KeyBackup, passphrase: string): Promise<Uint8Array> {
  const key = await passphraseKey(passphrase, unb64(backup.kdf.salt), backup.kdf.iterations);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: unb64(backup.cipher.iv), additionalData: new TextEncoder().encode(backup.did) },
      key,
      unb64(backup.cipher.ciphertext),
    );
    return new Uint8Array(plain);
  } catch {
    throw new BackupError('Wrong passphrase, or the backup file was changed.');
  }
}

/** Parses a backup file's text; anything else is a `BackupError`. */
export function parseBackup(text: string): KeyBackup {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BackupError('This file is not a CMS key backup (not JSON).');
  }
  const b = value as Partial<KeyBackup>;
  if (b?.type !== BACKUP_TYPE || typeof b.did !== 'string' || !b.kdf?.salt || !b.cipher?.ciphertext || !b.cipher.iv) {
    throw new BackupError('This file is not a CMS key backup.');
  }
  return b as KeyBackup;
}

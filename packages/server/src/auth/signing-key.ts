// The server's Ed25519 keys for access tokens. The current key signs; keys it replaced keep
// verifying until every token they signed has expired, so rotating never logs anyone out.
// On disk (`<dataDir>/keys`, directory 0700, files 0600): the current private key as a JWK, and the
// public JWKs of retired keys with the time they were retired.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A public key that no longer signs but still verifies until `verifyUntil` (epoch seconds). */
export interface RetiredKey {
  kid: string;
  publicKey: KeyObject;
  verifyUntil: number;
}

export const CURRENT_KEY_FILE = 'access-token-ed25519.json';
export const RETIRED_KEYS_FILE = 'access-token-retired.json';

interface RetiredFile {
  keys: { kid: string; jwk: Record<string, unknown>; verifyUntil: number }[];
}

export interface KeyFiles {
  current: SigningKey;
  retired: RetiredKey[];
}

/** Reads the keys in `keysDir`, creating the current key on first start; in memory when `keysDir` is undefined. */
export function loadOrCreateKeys(keysDir: string | undefined): KeyFiles {
  if (!keysDir) return { current: generateSigningKey(), retired: [] };
  const path = join(keysDir, CURRENT_KEY_FILE);
  if (!existsSync(path)) {
    ensureDir(keysDir);
    const key = generateSigningKey();
    try {
      writeFileSync(path, JSON.stringify(key.privateKey.export({ format: 'jwk' })), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another instance sharing the directory created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readKeys(keysDir);
}

export function readKeys(keysDir: string): KeyFiles {
  const current = signingKeyFromJwk(JSON.parse(readFileSync(join(keysDir, CURRENT_KEY_FILE), 'utf8')));
  const retiredPath = join(keysDir, RETIRED_KEYS_FILE);
  const retired = existsSync(retiredPath)
    ? (JSON.parse(readFileSync(retiredPath, 'utf8')) as RetiredFile).keys.map((k) => ({
        kid: k.kid,
        verifyUntil: k.verifyUntil,
        publicKey: createPublicKey({ key: k.jwk as never, format: 'jwk' }),
      }))
    : [];
  return { current, retired };
}

/** Persists a rotation: the new current key, and the retired list (already pruned by the caller). */
export function writeRotation(keysDir: string, keys: KeyFiles): void {
  ensureDir(keysDir);
  const retired: RetiredFile = {
    keys: keys.retired.map((k) => ({
      kid: k.kid,
      verifyUntil: k.verifyUntil,
      jwk: k.publicKey.export({ format: 'jwk' }),
    })),
  };
  // Retired keys first: an instance that reloads in between still verifies everything.
  writeAtomically(join(keysDir, RETIRED_KEYS_FILE), JSON.stringify(retired, null, 2));
  writeAtomically(join(keysDir, CURRENT_KEY_FILE), JSON.stringify(keys.current.privateKey.export({ format: 'jwk' })));
}

export function generateSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return signingKeyFromJwk(privateKey.export({ format: 'jwk' }));
}

function signingKeyFromJwk(jwk: Record<string, unknown>): SigningKey {
  const privateKey = createPrivateKey({ key: jwk as never, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  return { kid: thumbprint(publicKey), privateKey, publicKey };
}

/** RFC 7638 JWK thumbprint (SHA-256) of an Ed25519 public key. */
export function thumbprint(publicKey: KeyObject): string {
  const { crv, kty, x } = publicKey.export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ crv, kty, x })).digest('base64url');
}

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

function writeAtomically(path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  renameSync(temp, path);
}

// The keys access tokens are signed and verified with, as one object the issuer asks on every request.
// Verification keys are KeyObjects built once (when the key files are read), looked up by `kid`.

import type { KeyObject } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  CURRENT_KEY_FILE,
  generateSigningKey,
  type KeyFiles,
  loadOrCreateKeys,
  readKeys,
  type SigningKey,
  writeRotation,
} from './signing-key.js';

export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface KeyRing {
  /** The key that signs new tokens. */
  current(): SigningKey;
  /** The public key for `kid`, if it is current or retired but still verifying. */
  verificationKey(kid: string): KeyObject | undefined;
  /** Every key that verifies, for `/.well-known/jwks.json`. */
  jwks(): PublicJwk[];
  /** Makes a new key current; the old one keeps verifying for `retainSeconds`. */
  rotate(): SigningKey;
}

export interface KeyRingOptions {
  /** `<dataDir>/keys`; undefined keeps keys in memory. */
  keysDir: string | undefined;
  /** How long a retired key keeps verifying: the access token lifetime plus clock skew. */
  retainSeconds: number;
  /** How often signing checks `keysDir` for a key rotated elsewhere. @default 5000 */
  reloadIntervalMs?: number;
  now?: () => number;
}

export function createKeyRing(options: KeyRingOptions): KeyRing {
  const { keysDir, retainSeconds } = options;
  const now = options.now ?? Date.now;
  const reloadIntervalMs = options.reloadIntervalMs ?? 5000;
  let files: KeyFiles = loadOrCreateKeys(keysDir);
  let lastReload = now();
  let loadedMtime = mtime();
  const seconds = () => Math.floor(now() / 1000);

  function mtime(): number | undefined {
    return keysDir ? statSync(join(keysDir, CURRENT_KEY_FILE), { throwIfNoEntry: false })?.mtimeMs : undefined;
  }
  // Instances sharing a key directory learn of another's rotation (or of `cms-server rotate-signing-key`)
  // when they sign (at most once per `reloadIntervalMs`) and at once when a token names a kid they lack
  // (one stat; the files are read only when they changed).
  function maybeReload(unknownKid = false): void {
    if (!keysDir || (!unknownKid && now() - lastReload < reloadIntervalMs)) return;
    lastReload = now();
    const m = mtime();
    if (m === loadedMtime) return;
    files = readKeys(keysDir);
    loadedMtime = m;
  }
  // The current key, or a retired one still inside its window; a handful of keys at most.
  const lookup = (kid: string) =>
    kid === files.current.kid
      ? files.current.publicKey
      : files.retired.find((k) => k.kid === kid && k.verifyUntil > seconds())?.publicKey;

  return {
    current: () => {
      maybeReload();
      return files.current;
    },
    verificationKey(kid) {
      const key = lookup(kid);
      if (key) return key;
      maybeReload(true);
      return lookup(kid);
    },
    jwks: () => [
      toJwk(files.current.kid, files.current.publicKey),
      ...files.retired.filter((k) => k.verifyUntil > seconds()).map((k) => toJwk(k.kid, k.publicKey)),
    ],
    rotate() {
      const next: KeyFiles = {
        current: generateSigningKey(),
        retired: [
          ...files.retired.filter((k) => k.verifyUntil > seconds()),
          { kid: files.current.kid, publicKey: files.current.publicKey, verifyUntil: seconds() + retainSeconds },
        ],
      };
      if (keysDir) writeRotation(keysDir, next);
      files = next;
      loadedMtime = mtime();
      return files.current;
    },
  };
}

function toJwk(kid: string, key: KeyObject): PublicJwk {
  const { x } = key.export({ format: 'jwk' });
  return { kty: 'OKP', crv: 'Ed25519', x: x!, kid, alg: 'EdDSA', use: 'sig' };
}

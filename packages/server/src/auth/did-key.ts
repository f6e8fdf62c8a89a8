// did:key (Ed25519): the DID is the public key. KeyObjects are cached per DID because creating one
// costs more than the verification itself.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { publicKeyFromDidKey } from '@cms/sdk';
import { AppError } from '../errors/app-error.js';

// SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410); the 32 key bytes follow it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const cache = new Map<string, KeyObject>();
const CACHE_LIMIT = 10_000;

export function didKeyVerificationKey(did: string): KeyObject {
  const cached = cache.get(did);
  if (cached) return cached;
  let raw: Uint8Array;
  try {
    raw = publicKeyFromDidKey(did);
  } catch (e) {
    throw new AppError('unsupported_did_method', `${(e as Error).message}.`);
  }
  const key = ed25519PublicKey(raw);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(did, key);
  return key;
}

/** A node:crypto public key from 32 raw Ed25519 key bytes. */
export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new TypeError('an Ed25519 public key has 32 bytes');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

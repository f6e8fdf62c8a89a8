// Resolves a DID to the public key that verifies its signatures. Only did:key (Ed25519) so far;
// KeyObjects are cached per DID because creating one costs more than the verification itself.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { publicKeyFromDidKey } from '@cms/sdk';
import { AppError } from '../errors/app-error.js';

// SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410); the 32 key bytes follow it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const cache = new Map<string, KeyObject>();
const CACHE_LIMIT = 10_000;

export function resolveVerificationKey(did: string): KeyObject {
  const cached = cache.get(did);
  if (cached) return cached;
  if (!did.startsWith('did:key:')) throw new AppError('unsupported_did_method', `Only did:key is supported; got ${did.split(':').slice(0, 2).join(':')}.`);
  let raw: Uint8Array;
  try {
    raw = publicKeyFromDidKey(did);
  } catch (e) {
    throw new AppError('unsupported_did_method', `${(e as Error).message}.`);
  }
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(did, key);
  return key;
}

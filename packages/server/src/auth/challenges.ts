// Login challenges: a random nonce per request, kept in the key-value store under its hash for at most
// five minutes, and consumed at most once (an atomic get-and-delete).
import { createHash, randomBytes } from 'node:crypto';
import type { KeyValueStore } from '../cache/key-value-store.js';

export const CHALLENGE_TTL_SECONDS = 300;

const key = (nonce: string) => `challenge:${createHash('sha256').update(nonce).digest('hex')}`;

export async function createChallenge(
  store: KeyValueStore,
  did: string,
  now = Date.now(),
): Promise<{ nonce: string; expiresAt: Date }> {
  // Hex: SIWE (EIP-4361) allows only alphanumeric nonces.
  const nonce = randomBytes(24).toString('hex');
  await store.set(key(nonce), did, { ttlSeconds: CHALLENGE_TTL_SECONDS });
  return { nonce, expiresAt: new Date(now + CHALLENGE_TTL_SECONDS * 1000) };
}

/** Consumes the challenge; true only for the first caller with an unexpired challenge of `did`. */
export async function consumeChallenge(store: KeyValueStore, did: string, nonce: string): Promise<boolean> {
  return (await store.consume(key(nonce))) === did;
}

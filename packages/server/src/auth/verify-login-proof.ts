// Checks a login proof JWT (RFC 8725 hygiene): explicit typ, algorithm allow-list, audience, bounded
// lifetime, then the signature against the key its DID resolves to.
import { verify } from 'node:crypto';
import { decodeCompactJws, LOGIN_PROOF_TYPE } from '@cms/sdk';
import { AppError } from '../errors/app-error.js';
import { CHALLENGE_TTL_SECONDS } from './challenges.js';
import type { DidResolver } from './did-resolver.js';

const ALLOWED_ALGORITHMS = new Set(['EdDSA']);
const CLOCK_SKEW_SECONDS = 60;

export interface VerifiedProof {
  did: string;
  nonce: string;
}

/**
 * Verifies a JWS login proof. `consume(did, nonce)` runs after the claims pass and before the DID is
 * resolved, so no DID document is fetched for a proof that does not answer a live challenge.
 */
export async function verifyLoginProof(
  proof: string,
  options: {
    audience: string;
    resolver: DidResolver;
    consume: (did: string, nonce: string) => Promise<void>;
    now?: number;
  },
): Promise<VerifiedProof> {
  const { audience, resolver, consume, now = Date.now() } = options;
  const reject = (why: string) => new AppError('invalid_proof', why);
  let decoded: ReturnType<typeof decodeCompactJws>;
  try {
    decoded = decodeCompactJws(proof);
  } catch {
    throw reject('The proof is not a compact JWS.');
  }
  const { header, payload, signingInput, signature } = decoded;
  if (!ALLOWED_ALGORITHMS.has(header.alg)) throw reject(`Algorithm ${JSON.stringify(header.alg)} is not accepted.`);
  if (header.typ !== LOGIN_PROOF_TYPE) throw reject(`The proof's typ must be ${LOGIN_PROOF_TYPE}.`);
  if (header.crit !== undefined || header.jwk !== undefined || header.jku !== undefined || header.x5u !== undefined) {
    throw reject('The proof names its own key or critical extensions; the key comes from the DID only.');
  }
  const { iss, aud, nonce, exp, iat } = payload;
  if (typeof iss !== 'string') throw reject('The proof has no iss (the DID).');
  if (aud !== audience) throw reject('The proof is for another audience.');
  if (typeof nonce !== 'string') throw reject('The proof has no nonce.');
  const seconds = Math.floor(now / 1000);
  if (typeof exp !== 'number') throw reject('The proof has no exp.');
  if (typeof iat === 'number' && iat > seconds + CLOCK_SKEW_SECONDS) throw reject('The proof is dated in the future.');
  if (exp + CLOCK_SKEW_SECONDS < seconds) throw reject('The proof has expired.');
  if (exp > seconds + CHALLENGE_TTL_SECONDS + CLOCK_SKEW_SECONDS) throw reject('The proof lives too long.');
  resolver.assertSupported(iss);
  await consume(iss, nonce);
  const key = await resolver.resolveKey(iss, typeof header.kid === 'string' ? header.kid : undefined);
  if (!verify(null, signingInput, key, signature)) throw reject('The signature does not verify with the DID key.');
  return { did: iss, nonce };
}

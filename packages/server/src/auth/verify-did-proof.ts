// Proof of control of a DID, answering a challenge from `POST /v1/auth/challenge`: a JWS signed with
// the DID's key (did:key, did:web) or, for did:pkh, a Sign-In with Ethereum message and its signature.
// Used by login, by adding a DID to an account and by accepting an invitation.
import type { KeyValueStore } from '../cache/key-value-store.js';
import { AppError } from '../errors/app-error.js';
import { consumeChallenge } from './challenges.js';
import type { DidResolver } from './did-resolver.js';
import { verifyLoginProof } from './verify-login-proof.js';
import { verifySiweProof } from './verify-siwe-proof.js';

export interface DidProofInput {
  /** A compact JWS, or the SIWE message when `signature` is present. */
  proof: string;
  /** The SIWE signature (did:pkh). */
  signature?: string;
}

export interface ProofVerifier {
  /** The DID the proof controls; the challenge it answers is used up. */
  verify(input: DidProofInput): Promise<string>;
}

export function createProofVerifier(deps: {
  store: KeyValueStore;
  resolver: DidResolver;
  audience: () => string;
}): ProofVerifier {
  const consume = async (did: string, nonce: string) => {
    if (!(await consumeChallenge(deps.store, did, nonce)))
      throw new AppError('invalid_challenge', 'Request a new challenge and sign it.');
  };
  return {
    async verify({ proof, signature }) {
      const audience = deps.audience();
      const { did } =
        signature === undefined
          ? await verifyLoginProof(proof, { audience, resolver: deps.resolver, consume })
          : await verifySiweProof(proof, signature, { audience, consume });
      return did;
    },
  };
}

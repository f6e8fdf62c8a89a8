import type { DidSigner } from '../did/signer.js';
import { createCompactJws } from '../jose/compact-jws.js';

/** `typ` of a login proof; the server rejects proofs of any other type. */
export const LOGIN_PROOF_TYPE = 'cms-auth-proof+jwt';

/** The lifetime the SDK gives a login proof; the server accepts at most five minutes. */
const PROOF_TTL_SECONDS = 120;

/** Signs the proof JWT that answers a login challenge. */
export function createLoginProof(
  signer: DidSigner,
  challenge: { nonce: string; audience: string },
  now = Date.now(),
): Promise<string> {
  const iat = Math.floor(now / 1000);
  return createCompactJws(
    {
      iss: signer.did,
      sub: signer.did,
      aud: challenge.audience,
      nonce: challenge.nonce,
      iat,
      exp: iat + PROOF_TTL_SECONDS,
    },
    signer,
    { typ: LOGIN_PROOF_TYPE },
  );
}

/** Why an attestation document was refused. */
export type AttestationFailure =
  | 'malformed'
  | 'unsupported_algorithm'
  | 'bad_signature'
  | 'untrusted_root'
  | 'bad_chain'
  | 'expired'
  | 'nonce_mismatch'
  | 'stale'
  | 'pcr_mismatch'
  | 'debug_pcrs';

/** Thrown by `verifyAttestation`; `reason` is stable, `message` says what exactly failed. */
export class AttestationError extends Error {
  override name = 'AttestationError';
  constructor(
    readonly reason: AttestationFailure,
    message: string,
  ) {
    super(message);
  }
}

// `@cms/sdk/enclave`: attestation (AWS Nitro format) and confidential terms. A separate entry point so
// the main browser bundle does not carry CBOR, X.509 and HPKE.

export type { AttestEnclaveOptions, AttestedEnclave } from './attest-enclave.js';
export { attestEnclave } from './attest-enclave.js';
export type { AttestationFailure } from './attestation-error.js';
export { AttestationError } from './attestation-error.js';
export type { ReadConfidentialTermsResult, ReaderSigner, SealedConfidentialTerms } from './confidential-terms.js';
export { confidentialCommitment, readConfidentialTerms, sealConfidentialTerms } from './confidential-terms.js';
export { AWS_NITRO_ROOT_CERTIFICATE } from './nitro-root.js';
export type { VerifiedAttestation, VerifyAttestationOptions } from './verify-attestation.js';
export { verifyAttestation } from './verify-attestation.js';
export { verifyConfidentialTermsSeal } from './verify-confidential-seal.js';

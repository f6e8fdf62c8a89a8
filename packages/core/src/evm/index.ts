// `@cms/sdk/evm`: everything that needs viem (and the secp256k1 curve and ABI coding it carries):
// EIP-712 signature verification, evidence verification with did:pkh signatures and on chain, and the
// on-chain check of an anchored event (and of every anchor of an audit export). A separate entry point so the main browser bundle does not carry it.

export { contractLedgerAbi } from '../generated/contract-ledger.js';
export type { EvmEvidenceVerifierOptions, VerifyEvmEvidenceOptions } from './evm-evidence-verifier.js';
export { evmEvidenceVerifier, verifyEvidence } from './evm-evidence-verifier.js';
export { ledgerAnchorChecker } from './ledger-anchor-checker.js';
export type {
  AnchoredEventFailure,
  AnchoredEventVerification,
  VerifyAnchoredEventOptions,
} from './verify-anchored-event.js';
export { verifyAnchoredEvent } from './verify-anchored-event.js';
export { eip712SignatureProblems } from './verify-eip712-signature.js';

// What `verifyEvidence` needs from `@cms/sdk/evm` (the entry point that carries viem and its curves):
// EIP-712 signature recovery and, given a client, the on-chain checks of the anchors. The main entry
// checks everything else, so a browser that verifies did:key bundles offline never loads viem.
import { CmsError } from '../errors.js';
import type { SigningPayload } from '../signing/signing-payload.js';
import type { EvidenceBundle } from './evidence-bundle.js';

/** One named check, run (and recorded) by `verifyEvidence`. */
export interface EvmEvidenceCheck {
  check: string;
  run: () => Promise<{ problems: string[]; detail: string }>;
}

/** Made by `evmEvidenceVerifier()` from `@cms/sdk/evm`; pass it as `verifyEvidence(bundle, { evm })`. */
export interface EvmEvidenceVerifier {
  /** Why `signature` is not a valid EIP-712 signature of `payload` by its did:pkh signer (empty when it is). */
  eip712SignatureProblems(signature: string, payload: SigningPayload): Promise<string[]>;
  /** The on-chain checks of the bundle's anchors against the trusted ledger; absent without a client. */
  chainChecks?(bundle: EvidenceBundle, ledgerAddress: `0x${string}`): EvmEvidenceCheck[];
}

/** Thrown when verifying needs `@cms/sdk/evm` (an EIP-712 signature, or on-chain checks) and none was given. */
export class EvmVerifierRequiredError extends CmsError {
  override name = 'EvmVerifierRequiredError';
  constructor(what: string) {
    super(
      `${what} needs the EVM verifier: import { evmEvidenceVerifier } from '@cms/sdk/evm' and pass verifyEvidence(bundle, { evm: evmEvidenceVerifier({ client }) }), or use verifyEvidence from '@cms/sdk/evm'`,
      { code: 'evm_verifier_required' },
    );
  }
}

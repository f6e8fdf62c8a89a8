// What `verifyEvidence` can be asked to check beyond the bundle itself.
import type { EvmEvidenceVerifier } from './evm-verifier.js';

export interface VerifyEvidenceOptions {
  /**
   * EIP-712 signatures and on-chain checks, from `@cms/sdk/evm`: `evmEvidenceVerifier()` verifies
   * did:pkh signatures, `evmEvidenceVerifier({ client })` (your own viem client on the ledger's chain)
   * also checks every anchor's root on chain through `ledgerAddress`, and its transaction and block.
   * Without it, a bundle with an EIP-712 signature throws `EvmVerifierRequiredError`.
   * @default undefined (offline, did:key only: proofs are folded to their roots, but nothing shows the roots are on chain)
   */
  evm?: EvmEvidenceVerifier;
  /**
   * The `ContractLedger` you trust: an address you got from your organization or your own deployment,
   * never from the bundle. Required with an `evm` verifier that has a client; without one, anchors must still name it.
   * @default undefined
   */
  ledgerAddress?: `0x${string}`;
  /**
   * Fail unless every change of the contract (every event with a `toStatus`) has an anchor.
   * @default false (changes whose batch has not reached the chain yet are listed in `anchors.coverage`)
   */
  requireAnchors?: boolean;
}

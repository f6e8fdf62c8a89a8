// Verifies an evidence bundle without trusting, or even calling, the CMS server that produced it.
// The checks load on first use (a separate chunk in browser builds): see check-evidence.ts.
import type { EvidenceVerification } from './evidence-check.js';
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

/**
 * Checks everything in an evidence bundle (`contracts.evidence(id)`, or its JSON from anyone): the
 * content hash, every signature against its signer's DID and the contract, every audit event's hash and
 * place in the contract's history, the status that history leads to, every ledger proof, and — given a
 * `evm` verifier with a client (`@cms/sdk/evm`) — the anchors on chain. Never throws on a bad bundle:
 * `valid` is false and the failed checks say why. Throws a `TypeError` when the options are wrong, and
 * `EvmVerifierRequiredError` when the bundle has an EIP-712 signature and no `evm` verifier was given.
 * @example
 * const { valid, checks } = await verifyEvidence(JSON.parse(text)); // did:key signatures, offline
 * // did:pkh signatures and anchors on chain:
 * import { evmEvidenceVerifier } from '@cms/sdk/evm';
 * const evm = evmEvidenceVerifier({ client: createPublicClient({ transport: http('https://rpc.example') }) });
 * const result = await verifyEvidence(JSON.parse(text), { evm, ledgerAddress: '0x5FbD…0aa3' });
 * for (const c of checks.filter((c) => !c.ok)) console.error(`${c.check}: ${c.detail}`);
 */
export async function verifyEvidence(
  bundle: unknown,
  options: VerifyEvidenceOptions = {},
): Promise<EvidenceVerification> {
  const { checkEvidence } = await import('./check-evidence.js');
  return checkEvidence(bundle, options);
}

// Verifies an evidence bundle without trusting, or even calling, the CMS server that produced it.
// The checks load on first use (a separate chunk in browser builds): see check-evidence.ts.
import type { EvidenceVerification } from './evidence-check.js';
import type { VerifyEvidenceOptions } from './verify-evidence-options.js';

export type { VerifyEvidenceOptions } from './verify-evidence-options.js';

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

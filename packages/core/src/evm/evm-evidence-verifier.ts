// The EVM half of evidence verification, plugged into `verifyEvidence` from the main entry: EIP-712
// signature recovery, and (with a client) the on-chain checks of the anchors.
import type { Client } from 'viem';
import type { EvidenceBundle } from '../evidence/evidence-bundle.js';
import type { EvidenceVerification } from '../evidence/evidence-check.js';
import type { CheckedBundle } from '../evidence/evidence-shape.js';
import type { EvmEvidenceCheck, EvmEvidenceVerifier } from '../evidence/evm-verifier.js';
import { type VerifyEvidenceOptions, verifyEvidence as verifyEvidenceCore } from '../evidence/verify-evidence.js';
import { anchorOnChainCheck, anchorTransactionCheck, type ChainContext, chainIdCheck } from './check-chain.js';
import { eip712SignatureProblems } from './verify-eip712-signature.js';

export interface EvmEvidenceVerifierOptions {
  /**
   * Your own viem client on the ledger's chain (any transport). With it, every anchor's root is checked
   * on chain through the trusted `ledgerAddress`, and its transaction and block against the chain.
   * @default undefined (EIP-712 signatures only; the anchors are checked offline)
   */
  client?: Client;
}

/**
 * The verifier `verifyEvidence(bundle, { evm })` uses for EIP-712 (did:pkh) signatures and, given a
 * client, the anchors on chain.
 * @example
 * const evm = evmEvidenceVerifier({ client: createPublicClient({ transport: http('https://rpc.example') }) });
 * const { valid } = await verifyEvidence(bundle, { evm, ledgerAddress });
 */
export function evmEvidenceVerifier(options: EvmEvidenceVerifierOptions = {}): EvmEvidenceVerifier {
  const { client } = options;
  return {
    eip712SignatureProblems,
    ...(client && {
      chainChecks(bundle: EvidenceBundle, ledgerAddress: `0x${string}`): EvmEvidenceCheck[] {
        const b = bundle as CheckedBundle;
        const chain: ChainContext = { client, ledgerAddress, receipts: new Map() };
        const checks: EvmEvidenceCheck[] = [{ check: 'chain.id', run: () => chainIdCheck(b, chain) }];
        for (const [i, anchor] of b.anchors.entries()) {
          checks.push({ check: `anchors[${i}].onChain`, run: () => anchorOnChainCheck(anchor, chain) });
          if (anchor.transactionHash !== null)
            checks.push({ check: `anchors[${i}].transaction`, run: () => anchorTransactionCheck(anchor, chain) });
        }
        return checks;
      },
    }),
  };
}

/** `verifyEvidence`'s options with the EVM verifier built in: `client` as before the split. */
export type VerifyEvmEvidenceOptions = Omit<VerifyEvidenceOptions, 'evm'> & EvmEvidenceVerifierOptions;

/**
 * `verifyEvidence` from the main entry with `evmEvidenceVerifier({ client })` plugged in: verifies
 * EIP-712 signatures and, given `client` and `ledgerAddress`, the anchors on chain.
 * @example
 * const client = createPublicClient({ transport: http('https://rpc.example') });
 * const { valid, checks } = await verifyEvidence(JSON.parse(text), { client, ledgerAddress: '0x5FbD…0aa3' });
 */
export function verifyEvidence(bundle: unknown, options: VerifyEvmEvidenceOptions = {}): Promise<EvidenceVerification> {
  if (typeof options !== 'object' || options === null) throw new TypeError('verifyEvidence options must be an object');
  const { client, ...rest } = options;
  return verifyEvidenceCore(bundle, { ...rest, evm: evmEvidenceVerifier(client ? { client } : {}) });
}

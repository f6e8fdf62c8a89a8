// The checks behind `verifyEvidence`: a chunk of its own, so the SDK's main entry does not carry them
// (nor the template renderer they re-render bodies with) until a bundle is verified.
import { checksumAddress, isHexAddress } from '../keccak256.js';
import { anchorBatchesCheck, anchorCoverageCheck, anchorProofCheck, anchorRecordCheck } from './check-anchors.js';
import { contentHashCheck, statusCheck } from './check-contract.js';
import {
  eventChainCheck,
  eventContractCheck,
  eventHashCheck,
  eventRevisionsCheck,
  transitionsCheck,
} from './check-events.js';
import {
  eventSignaturesCheck,
  signatureCryptoCheck,
  signatureEventCheck,
  signaturePayloadCheck,
} from './check-signatures.js';
import { templateBodyCheck, templateVersionCheck } from './check-template.js';
import { CheckList, type EvidenceVerification } from './evidence-check.js';
import { type CheckedBundle, evidenceShapeProblems } from './evidence-shape.js';
import { type EvmEvidenceVerifier, EvmVerifierRequiredError } from './evm-verifier.js';
import type { VerifyEvidenceOptions } from './verify-evidence-options.js';

const ALLOWED_OPTIONS = new Set(['evm', 'ledgerAddress', 'requireAnchors']);

// The whole check list, loaded on first use by `verifyEvidence` (./verify-evidence.ts).
export async function checkEvidence(
  bundle: unknown,
  options: VerifyEvidenceOptions = {},
): Promise<EvidenceVerification> {
  const chain = chainContext(options);
  const list = new CheckList();
  const result = (): EvidenceVerification => ({
    valid: list.checks.every((c) => c.ok),
    checks: list.checks,
    chainChecked: chain !== undefined,
  });

  const shape = evidenceShapeProblems(bundle);
  await list.run('bundle.shape', () => ({ problems: shape, detail: 'cms.evidence.v1' }));
  if (shape.length) return result();
  const b = bundle as CheckedBundle;
  const evm = options.evm;
  if (!evm && b.signatures.some((s) => s.format === 'eip712'))
    throw new EvmVerifierRequiredError('Verifying an EIP-712 (did:pkh) signature');

  await list.run('contract.contentHash', () => contentHashCheck(b));
  if (b.contract.content.template || b.template) {
    await list.run('template.version', () => templateVersionCheck(b));
    await list.run('template.body', () => templateBodyCheck(b));
  }

  const validSigners = new Set<string>();
  for (const [i, sig] of b.signatures.entries()) {
    const crypto = await list.run(`signatures[${i}].signature`, () => signatureCryptoCheck(sig, evm));
    const payload = await list.run(`signatures[${i}].payload`, () => signaturePayloadCheck(b, i));
    const event = await list.run(`signatures[${i}].event`, () => signatureEventCheck(b, i));
    if (crypto && payload && event && sig.payload.intent === 'sign') validSigners.add(sig.payload.signer);
  }

  for (const [i, event] of b.events.entries()) {
    await list.run(`events[${i}].hash`, () => eventHashCheck(event));
    await list.run(`events[${i}].contract`, () => eventContractCheck(b, i));
  }
  await list.run('events.chain', () => eventChainCheck(b));
  await list.run('events.revisions', () => eventRevisionsCheck(b));
  await list.run('events.transitions', () => transitionsCheck(b));
  await list.run('events.signatures', () => eventSignaturesCheck(b));
  await list.run('contract.status', () => statusCheck(b, validSigners));

  for (const [i, anchor] of b.anchors.entries()) {
    await list.run(`anchors[${i}].proof`, () => anchorProofCheck(b, anchor));
    await list.run(`anchors[${i}].record`, () => anchorRecordCheck(anchor));
  }
  await list.run('anchors.coverage', () => anchorCoverageCheck(b, options.requireAnchors ?? false));
  await list.run('anchors.batches', () => anchorBatchesCheck(b));

  if (options.ledgerAddress) {
    const trusted = checksumAddress(options.ledgerAddress);
    for (const [i, anchor] of b.anchors.entries())
      await list.run(`anchors[${i}].ledger`, () => ({
        problems:
          anchor.ledgerAddress === trusted
            ? []
            : [`anchored on ${anchor.ledgerAddress}, not the trusted ledger ${trusted}`],
        detail: trusted,
      }));
  }
  if (chain) for (const { check, run } of chain(b)) await list.run(check, run);
  return result();
}

function chainContext(
  options: VerifyEvidenceOptions,
): ((b: CheckedBundle) => ReturnType<NonNullable<EvmEvidenceVerifier['chainChecks']>>) | undefined {
  if (typeof options !== 'object' || options === null) throw new TypeError('verifyEvidence options must be an object');
  if ('client' in options)
    throw new EvmVerifierRequiredError(
      'Checking anchors on chain with a client (the client option moved to evmEvidenceVerifier({ client }))',
    );
  const unknown = Object.keys(options).filter((k) => !ALLOWED_OPTIONS.has(k));
  if (unknown.length) throw new TypeError(`Unknown verifyEvidence option(s): ${unknown.join(', ')}`);
  if (options.ledgerAddress !== undefined && !isHexAddress(options.ledgerAddress))
    throw new TypeError('ledgerAddress must be a 0x address');
  if (options.requireAnchors !== undefined && typeof options.requireAnchors !== 'boolean')
    throw new TypeError('requireAnchors must be a boolean');
  if (
    options.evm !== undefined &&
    (typeof options.evm !== 'object' ||
      options.evm === null ||
      typeof options.evm.eip712SignatureProblems !== 'function')
  )
    throw new TypeError("evm must be a verifier from evmEvidenceVerifier() ('@cms/sdk/evm')");
  const chainChecks = options.evm?.chainChecks;
  if (!chainChecks) return undefined;
  const ledgerAddress = options.ledgerAddress;
  if (!ledgerAddress)
    throw new TypeError(
      'verifyEvidence needs the ledgerAddress you trust to check anchors on chain with an evm verifier that has a client',
    );
  return (b) => chainChecks.call(options.evm, b, ledgerAddress);
}

// Verifies an evidence bundle without trusting, or even calling, the CMS server that produced it.
import { type Address, type Client, isAddress } from 'viem';
import { anchorBatchesCheck, anchorCoverageCheck, anchorProofCheck, anchorRecordCheck } from './check-anchors.js';
import {
  anchorLedgerCheck,
  anchorOnChainCheck,
  anchorTransactionCheck,
  type ChainContext,
  chainIdCheck,
} from './check-chain.js';
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

export interface VerifyEvidenceOptions {
  /**
   * Your own viem client on the ledger's chain (any transport). With it, every anchor's root is checked
   * on chain through `ledgerAddress`, and its transaction and block against the chain.
   * @default undefined (offline: proofs are folded to their roots, but nothing shows the roots are on chain)
   */
  client?: Client;
  /**
   * The `ContractLedger` you trust: an address you got from your organization or your own deployment,
   * never from the bundle. Required with `client`; without one, anchors must still name it.
   * @default undefined
   */
  ledgerAddress?: Address;
  /**
   * Fail unless every change of the contract (every event with a `toStatus`) has an anchor.
   * @default false (changes whose batch has not reached the chain yet are listed in `anchors.coverage`)
   */
  requireAnchors?: boolean;
}

const ALLOWED_OPTIONS = new Set(['client', 'ledgerAddress', 'requireAnchors']);

/**
 * Checks everything in an evidence bundle (`contracts.evidence(id)`, or its JSON from anyone): the
 * content hash, every signature against its signer's DID and the contract, every audit event's hash and
 * place in the contract's history, the status that history leads to, every ledger proof, and — given a
 * `client` — the anchors on chain. Never throws on a bad bundle: `valid` is false and the failed
 * checks say why. Throws a `TypeError` only when the options are wrong.
 * @example
 * const client = createPublicClient({ transport: http('https://rpc.example') });
 * const { valid, checks } = await verifyEvidence(JSON.parse(text), { client, ledgerAddress: '0x5FbD…0aa3' });
 * for (const c of checks.filter((c) => !c.ok)) console.error(`${c.check}: ${c.detail}`);
 */
export async function verifyEvidence(
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

  await list.run('contract.contentHash', () => contentHashCheck(b));
  if (b.contract.content.template || b.template) {
    await list.run('template.version', () => templateVersionCheck(b));
    await list.run('template.body', () => templateBodyCheck(b));
  }

  const validSigners = new Set<string>();
  for (const [i, sig] of b.signatures.entries()) {
    const crypto = await list.run(`signatures[${i}].signature`, () => signatureCryptoCheck(sig));
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
    const trusted = { ledgerAddress: options.ledgerAddress } as ChainContext;
    for (const [i, anchor] of b.anchors.entries())
      await list.run(`anchors[${i}].ledger`, () => anchorLedgerCheck(anchor, trusted));
  }
  if (chain) {
    await list.run('chain.id', () => chainIdCheck(b, chain));
    for (const [i, anchor] of b.anchors.entries()) {
      await list.run(`anchors[${i}].onChain`, () => anchorOnChainCheck(anchor, chain));
      if (anchor.transactionHash !== null)
        await list.run(`anchors[${i}].transaction`, () => anchorTransactionCheck(anchor, chain));
    }
  }
  return result();
}

function chainContext(options: VerifyEvidenceOptions): ChainContext | undefined {
  if (typeof options !== 'object' || options === null) throw new TypeError('verifyEvidence options must be an object');
  const unknown = Object.keys(options).filter((k) => !ALLOWED_OPTIONS.has(k));
  if (unknown.length) throw new TypeError(`Unknown verifyEvidence option(s): ${unknown.join(', ')}`);
  if (options.ledgerAddress !== undefined && !isAddress(options.ledgerAddress, { strict: false }))
    throw new TypeError('ledgerAddress must be a 0x address');
  if (options.requireAnchors !== undefined && typeof options.requireAnchors !== 'boolean')
    throw new TypeError('requireAnchors must be a boolean');
  if (!options.client) return undefined;
  if (!options.ledgerAddress)
    throw new TypeError('verifyEvidence needs the ledgerAddress you trust to check anchors on chain with client');
  return { client: options.client, ledgerAddress: options.ledgerAddress, receipts: new Map() };
}

// Verifies that an audit event is anchored on chain, with the caller's own viem client and trusting
// nothing a CMS server says: the leaf is recomputed from the event hash (or the event itself), the proof
// is folded up to the root locally, and the ledger contract is asked whether that root is anchored.
import type { Address, Client, Hex } from 'viem';
import { readContract } from 'viem/actions';
import { type AuditEventContent, computeAuditEventHash } from '../audit/audit-event-hash.js';
import { contractLedgerAbi } from '../generated/contract-ledger.js';
import { ledgerLeafOf, merkleRootFromProof } from '../ledger/merkle.js';

export interface VerifyAnchoredEventOptions {
  /** Your own viem client on the ledger's chain (any transport). */
  client: Client;
  /** The ContractLedger you trust, e.g. the address your organization published. */
  ledgerAddress: Address;
  /** The anchored value: SHA-256 of the canonical audit event. */
  eventHash: Hex;
  /** Sibling hashes from the event's leaf to `root`. */
  proof: readonly Hex[];
  root: Hex;
  /** When given, `eventHash` must be this event's hash (recomputed here). */
  event?: AuditEventContent;
}

export type AnchoredEventFailure =
  | 'event_hash_mismatch'
  | 'proof_mismatch'
  | 'root_not_anchored'
  | 'root_revoked'
  | 'contract_rejected';

export interface AnchoredEventVerification {
  /** True only when every check passed. */
  verified: boolean;
  /** The first check that failed. */
  failure: AnchoredEventFailure | null;
  /** keccak256(keccak256(abi.encode(eventHash))): the tree's leaf. */
  leaf: Hex;
  /** The root the proof leads to from `leaf`. */
  computedRoot: Hex;
  /** Block time the contract recorded for `root`; null when it is not anchored. */
  anchoredAt: Date | null;
  /** Events in the anchored batch, per the contract. */
  leafCount: number | null;
  revoked: boolean;
}

/**
 * Checks an anchored event against the chain.
 * @example
 * const client = createPublicClient({ transport: http('https://rpc.example') });
 * const { verified } = await verifyAnchoredEvent({ client, ledgerAddress, eventHash, proof, root });
 */
export async function verifyAnchoredEvent(o: VerifyAnchoredEventOptions): Promise<AnchoredEventVerification> {
  const leaf = ledgerLeafOf(o.eventHash);
  const computedRoot = merkleRootFromProof(leaf, o.proof);
  const result = (
    failure: AnchoredEventFailure | null,
    anchor?: { anchoredAt: bigint; leafCount: number; revoked: boolean },
  ): AnchoredEventVerification => ({
    verified: failure === null,
    failure,
    leaf,
    computedRoot,
    anchoredAt: anchor && anchor.anchoredAt !== 0n ? new Date(Number(anchor.anchoredAt) * 1000) : null,
    leafCount: anchor && anchor.anchoredAt !== 0n ? anchor.leafCount : null,
    revoked: anchor?.revoked ?? false,
  });
  if (o.event && (await computeAuditEventHash(o.event)) !== o.eventHash.toLowerCase())
    return result('event_hash_mismatch');
  if (computedRoot.toLowerCase() !== o.root.toLowerCase()) return result('proof_mismatch');
  const [anchoredAt, leafCount, revoked] = await readContract(o.client, {
    address: o.ledgerAddress,
    abi: contractLedgerAbi,
    functionName: 'anchors',
    args: [o.root],
  });
  const anchor = { anchoredAt, leafCount, revoked };
  if (anchoredAt === 0n) return result('root_not_anchored', anchor);
  if (revoked) return result('root_revoked', anchor);
  const onChain = await readContract(o.client, {
    address: o.ledgerAddress,
    abi: contractLedgerAbi,
    functionName: 'verifyEvent',
    args: [o.root, o.eventHash, [...o.proof]],
  });
  return result(onChain ? null : 'contract_rejected', anchor);
}

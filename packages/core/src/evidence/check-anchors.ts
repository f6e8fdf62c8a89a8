// Offline checks of the bundle's ledger anchors: each proof leads from the leaf of one of the bundle's
// event hashes to its root, and anchors of one batch agree with each other. Whether the roots are on
// chain is `check-chain.ts`'s job.
import { ledgerBatchIdOf } from '../ledger/ledger-batch-id.js';
import { ledgerLeafOf, merkleRootFromProof } from '../ledger/merkle.js';

type Hex = `0x${string}`;

import { transitionsOf } from './check-events.js';
import type { Outcome } from './evidence-check.js';
import type { CheckedBundle } from './evidence-shape.js';

type Anchor = CheckedBundle['anchors'][number];

/** `anchors[i].proof`: the anchor is of an event in the bundle, and its Merkle proof folds to its root. */
export function anchorProofCheck(bundle: CheckedBundle, anchor: Anchor): Outcome {
  const event = bundle.events.find((e) => e.id === anchor.auditEventId);
  if (!event) return { problems: [`anchors event ${anchor.auditEventId}, which is not in the bundle`], detail: '' };
  const problems: string[] = [];
  if (anchor.eventHash !== event.hash) problems.push(`anchors hash ${anchor.eventHash}, not the event’s ${event.hash}`);
  const leaf = ledgerLeafOf(anchor.eventHash as Hex);
  if (anchor.leaf !== leaf) problems.push(`the leaf of the event hash is ${leaf}, not ${anchor.leaf}`);
  const root = merkleRootFromProof(leaf, anchor.proof as Hex[]);
  if (root !== anchor.root) problems.push(`the proof folds to ${root}, not the root ${anchor.root}`);
  return { problems, detail: `${event.action} (seq ${event.seq}) is in the tree of root ${anchor.root}` };
}

/** `anchors[i].record`: the anchor says consistently which batch it is in, where it was anchored and how far it got. */
export function anchorRecordCheck(anchor: Anchor): Outcome {
  const problems: string[] = [];
  for (const field of ['batchId', 'transactionHash', 'chainId', 'ledgerAddress'] as const)
    if (anchor[field] === null) problems.push(`a ${anchor.status} anchor has a ${field}`);
  // The batch id derives from the root, so it names the batch the proof leads to and no other.
  const batchId = ledgerBatchIdOf(anchor.root as Hex);
  if (anchor.batchId !== null && anchor.batchId !== batchId)
    problems.push(`batch ${anchor.batchId} is not the batch of root ${anchor.root} (${batchId})`);
  if (anchor.status === 'confirmed' && anchor.blockNumber === null)
    problems.push('a confirmed anchor has a block number');
  if ((anchor.status === 'confirmed') !== (anchor.anchoredAt !== null))
    problems.push(`a ${anchor.status} anchor ${anchor.status === 'confirmed' ? 'has' : 'has no'} anchoredAt`);
  return {
    problems,
    detail: `${anchor.status} in transaction ${anchor.transactionHash} (block ${anchor.blockNumber}, chain ${anchor.chainId}, ledger ${anchor.ledgerAddress})`,
  };
}

/**
 * `anchors.coverage`: no event is anchored twice, and — when `requireAnchors` — every change of the
 * contract (every event carrying `toStatus`) is anchored.
 */
export function anchorCoverageCheck(bundle: CheckedBundle, requireAnchors: boolean): Outcome {
  const problems: string[] = [];
  const ids = bundle.anchors.map((a) => a.auditEventId);
  if (new Set(ids).size !== ids.length) problems.push('an event is anchored twice');
  const changes = transitionsOf(bundle);
  const missing = changes.filter((e) => !ids.includes(e.id));
  if (requireAnchors && missing.length)
    problems.push(`not anchored: ${missing.map((e) => `${e.action} (seq ${e.seq})`).join(', ')}`);
  return {
    problems,
    detail: `${changes.length - missing.length} of ${changes.length} changes anchored${missing.length ? ` (not yet: ${missing.map((e) => e.action).join(', ')})` : ''}`,
  };
}

/** `anchors.batches`: anchors with one root (one batch, one transaction) agree on everything about it. */
export function anchorBatchesCheck(bundle: CheckedBundle): Outcome {
  const problems: string[] = [];
  const batchOf = (a: Anchor) =>
    [a.status, a.batchId, a.transactionHash, a.blockNumber, a.chainId, a.ledgerAddress, a.anchoredAt].join('|');
  const byRoot = new Map<string, string>();
  const rootOfBatch = new Map<string, string>();
  const rootOfTx = new Map<string, string>();
  bundle.anchors.forEach((a, i) => {
    const seen = byRoot.get(a.root);
    if (seen !== undefined && seen !== batchOf(a))
      problems.push(`anchors[${i}] disagrees with another anchor of root ${a.root}`);
    byRoot.set(a.root, seen ?? batchOf(a));
    for (const [map, key, what] of [
      [rootOfBatch, a.batchId, 'batch'],
      [rootOfTx, a.transactionHash, 'transaction'],
    ] as const) {
      if (key === null) continue;
      if ((map.get(key) ?? a.root) !== a.root) problems.push(`anchors[${i}] puts ${what} ${key} under two roots`);
      map.set(key, a.root);
    }
  });
  return { problems, detail: `${bundle.anchors.length} anchors in ${byRoot.size} batches` };
}

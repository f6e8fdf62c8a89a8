// Builds the Merkle tree of a batch of event hashes with OpenZeppelin's StandardMerkleTree, whose leaves
// and proofs ContractLedger (OpenZeppelin MerkleProof) verifies: leaf = keccak256(keccak256(abi.encode(h))).
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';

export type Hex = `0x${string}`;

export interface MerkleBatch {
  root: Hex;
  /** Same order as the input hashes. */
  leaves: { eventHash: Hex; leaf: Hex; proof: Hex[] }[];
}

export function buildMerkleBatch(eventHashes: readonly Hex[]): MerkleBatch {
  if (eventHashes.length === 0) throw new Error('a batch needs at least one event');
  const tree = StandardMerkleTree.of(
    eventHashes.map((h) => [h]),
    ['bytes32'],
  );
  // tree.entries() yields [valueIndex, value] with valueIndex = position in the input.
  const leaves = new Array<MerkleBatch['leaves'][number]>(eventHashes.length);
  for (const [i, [h]] of tree.entries()) {
    leaves[i] = { eventHash: h as Hex, leaf: tree.leafHash([h as Hex]) as Hex, proof: tree.getProof(i) as Hex[] };
  }
  return { root: tree.root as Hex, leaves };
}

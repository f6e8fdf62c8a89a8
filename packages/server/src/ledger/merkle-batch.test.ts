import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { encodeAbiParameters, keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import { buildMerkleBatch, type Hex } from './merkle-batch.js';

const hash = (i: number) => keccak256(`0x${i.toString(16).padStart(8, '0')}`);

describe('buildMerkleBatch', () => {
  it('gives every event a leaf and a proof that lead to the root', async () => {
    const hashes = Array.from({ length: 37 }, (_, i) => hash(i));
    const batch = await buildMerkleBatch(hashes);
    expect(batch.leaves.map((l) => l.eventHash)).toEqual(hashes);
    for (const { eventHash, leaf, proof } of batch.leaves) {
      expect(leaf).toBe(keccak256(keccak256(encodeAbiParameters([{ type: 'bytes32' }], [eventHash]))));
      expect(StandardMerkleTree.verify(batch.root, ['bytes32'], [eventHash], proof)).toBe(true);
      expect(proof.length).toBeLessThanOrEqual(6);
    }
    expect(StandardMerkleTree.verify(batch.root, ['bytes32'], [hash(99)], batch.leaves[0]!.proof)).toBe(false);
  });

  it('builds the same tree as StandardMerkleTree.of, for every size', async () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 33, 100, 257]) {
      const hashes = Array.from({ length: n }, (_, i) => hash(1000 * n + i));
      const ours = await buildMerkleBatch(hashes);
      const theirs = StandardMerkleTree.of(
        hashes.map((h) => [h]),
        ['bytes32'],
      );
      expect(ours.root).toBe(theirs.root);
      hashes.forEach((h, i) => {
        expect(ours.leaves[i]).toEqual({ eventHash: h, leaf: theirs.leafHash([h]), proof: theirs.getProof(i) });
      });
    }
  });

  it('anchors a single event with an empty proof', async () => {
    const batch = await buildMerkleBatch([hash(1)]);
    expect(batch.leaves[0]!.proof).toEqual([]);
    expect(batch.root).toBe(batch.leaves[0]!.leaf);
  });

  it('refuses an empty batch', async () => {
    await expect(buildMerkleBatch([] as Hex[])).rejects.toThrow('at least one event');
  });
});

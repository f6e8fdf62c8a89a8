import fc from 'fast-check';
import { concat, encodeAbiParameters, type Hex, keccak256, toHex } from 'viem';
import { expect, it } from 'vitest';
import { ledgerLeafOf, merkleRootFromProof } from './merkle.js';

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toHex(b));

it('ledgerLeafOf and merkleRootFromProof agree with the viem (abi.encode + keccak256) formulation', () => {
  fc.assert(
    fc.property(hex32, fc.array(hex32, { maxLength: 8 }), (eventHash, proof) => {
      const leaf = keccak256(keccak256(encodeAbiParameters([{ type: 'bytes32' }], [eventHash])));
      const root = proof.reduce<Hex>(
        (n, s) => keccak256(BigInt(n) < BigInt(s) ? concat([n, s]) : concat([s, n])),
        leaf,
      );
      expect(ledgerLeafOf(eventHash)).toBe(leaf);
      expect(merkleRootFromProof(leaf, proof)).toBe(root);
    }),
  );
});

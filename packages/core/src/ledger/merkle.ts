// The ledger's Merkle tree, as OpenZeppelin's StandardMerkleTree and `ContractLedger` compute it, with
// no chain access (that is `verifyAnchoredEvent` in `@cms/sdk/evm`).
import { hexToBytes } from '../bytes.js';
import { keccak256Bytes, keccak256Hex } from '../keccak256.js';

type Hex = `0x${string}`;

const bytes32 = (hex: string): Uint8Array => {
  const b = hexToBytes(hex);
  if (b.length !== 32) throw new TypeError(`expected 32 bytes of hex, found ${b.length}`);
  return b;
};

/** The Merkle leaf of an event hash: keccak256(keccak256(abi.encode(bytes32 eventHash))). */
export function ledgerLeafOf(eventHash: Hex): Hex {
  return keccak256Hex(keccak256Bytes(bytes32(eventHash)));
}

/** Folds a proof from `leaf` up to its root, hashing each pair in sorted order (OpenZeppelin `MerkleProof`). */
export function merkleRootFromProof(leaf: Hex, proof: readonly Hex[]): Hex {
  return proof.reduce<Hex>((node, sibling) => {
    const [a, b] = BigInt(node) < BigInt(sibling) ? [node, sibling] : [sibling, node];
    return keccak256Hex(new Uint8Array([...hexToBytes(a), ...hexToBytes(b)]));
  }, leaf);
}

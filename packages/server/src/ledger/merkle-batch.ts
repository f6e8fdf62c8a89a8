// Builds the Merkle tree of a batch of event hashes exactly as OpenZeppelin's StandardMerkleTree does
// (`StandardMerkleTree.of(hashes.map((h) => [h]), ['bytes32'])`: leaf = keccak256(keccak256(abi.encode(h))),
// leaves sorted, sorted-pair node hashing), so ContractLedger's MerkleProof verifies its proofs. Written
// over byte arrays with a WebAssembly keccak because the library's own builder takes ~1 s per 1,000
// leaves with their proofs (and a JS keccak ~25 µs per hash); merkle-batch.test.ts checks they agree.
import { createKeccak, type IHasher } from 'hash-wasm';

export type Hex = `0x${string}`;

export interface MerkleBatch {
  root: Hex;
  /** Same order as the input hashes. */
  leaves: { eventHash: Hex; leaf: Hex; proof: Hex[] }[];
}

let keccak: Promise<IHasher> | undefined;

function hasher(k: IHasher) {
  return (bytes: Uint8Array) => {
    k.init();
    k.update(bytes);
    return k.digest('binary');
  };
}
const toHex = (bytes: Uint8Array) =>
  `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}` as Hex;

/** keccak256(keccak256(abi.encode(bytes32))): abi.encode of a bytes32 is its 32 bytes. */
function leafOf(hash: (b: Uint8Array) => Uint8Array, eventHash: Hex): Uint8Array {
  const value = Buffer.from(eventHash.slice(2), 'hex');
  if (value.length !== 32) throw new Error(`not a bytes32: ${eventHash}`);
  return hash(hash(value));
}

function nodeOf(hash: (b: Uint8Array) => Uint8Array, a: Uint8Array, b: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  const [x, y] = Buffer.compare(a, b) <= 0 ? [a, b] : [b, a];
  pair.set(x, 0);
  pair.set(y, 32);
  return hash(pair);
}

export async function buildMerkleBatch(eventHashes: readonly Hex[]): Promise<MerkleBatch> {
  if (eventHashes.length === 0) throw new Error('a batch needs at least one event');
  // One hasher, used synchronously from here to the end: concurrent builds never interleave on it.
  const hash = hasher(await (keccak ??= createKeccak(256)));
  const hashed = eventHashes.map((eventHash, index) => ({ eventHash, index, leaf: leafOf(hash, eventHash) }));
  hashed.sort((a, b) => Buffer.compare(a.leaf, b.leaf));
  // A complete binary tree in an array: children of i are 2i+1 and 2i+2; the sorted leaves fill the end, reversed.
  const tree = new Array<Uint8Array>(2 * hashed.length - 1);
  hashed.forEach((h, i) => {
    tree[tree.length - 1 - i] = h.leaf;
  });
  for (let i = tree.length - 1 - hashed.length; i >= 0; i--) tree[i] = nodeOf(hash, tree[2 * i + 1]!, tree[2 * i + 2]!);
  const hexTree = tree.map(toHex);
  const leaves = new Array<MerkleBatch['leaves'][number]>(eventHashes.length);
  hashed.forEach((h, i) => {
    const proof: Hex[] = [];
    for (let node = tree.length - 1 - i; node > 0; node = Math.floor((node - 1) / 2))
      proof.push(hexTree[node % 2 === 1 ? node + 1 : node - 1]!);
    leaves[h.index] = { eventHash: h.eventHash, leaf: hexTree[tree.length - 1 - i]!, proof };
  });
  return { root: hexTree[0]!, leaves };
}

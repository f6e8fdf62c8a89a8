// Keccak-256 (the pre-standard SHA-3 Ethereum uses) and EIP-55 checksummed addresses, small enough for
// the main entry: merkle proofs, batch ids and did:pkh need them, and viem (with its curves) stays in
// `@cms/sdk/evm`. 64-bit lanes as BigInt: slower than 32-bit halves, but the inputs here are tiny.
import { bytesToHex, utf8ToBytes } from './bytes.js';

const MASK = (1n << 64n) - 1n;
const ROUND: bigint[] = [];
const PI: number[] = [];
const ROT: bigint[] = [];
for (let round = 0, r = 1n, x = 1, y = 0; round < 24; round++) {
  [x, y] = [y, (2 * x + 3 * y) % 5];
  PI.push(5 * y + x);
  ROT.push(BigInt((((round + 1) * (round + 2)) / 2) % 64));
  let t = 0n;
  for (let j = 0; j < 7; j++) {
    r = ((r << 1n) ^ ((r >> 7n) * 0x71n)) % 256n;
    if (r & 2n) t ^= 1n << ((1n << BigInt(j)) - 1n);
  }
  ROUND.push(t);
}
const rotl = (v: bigint, n: bigint) => (n === 0n ? v : ((v << n) | (v >> (64n - n))) & MASK);

function permute(s: bigint[]): void {
  const c: bigint[] = new Array(5);
  for (let round = 0; round < 24; round++) {
    for (let x = 0; x < 5; x++) c[x] = s[x]! ^ s[x + 5]! ^ s[x + 10]! ^ s[x + 15]! ^ s[x + 20]!;
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5]! ^ rotl(c[(x + 1) % 5]!, 1n);
      for (let y = 0; y < 25; y += 5) s[x + y] = s[x + y]! ^ d;
    }
    let cur = s[1]!;
    for (let t = 0; t < 24; t++) {
      const p = PI[t]!;
      const next = s[p]!;
      s[p] = rotl(cur, ROT[t]!);
      cur = next;
    }
    for (let y = 0; y < 25; y += 5) {
      const row = s.slice(y, y + 5);
      for (let x = 0; x < 5; x++) s[y + x] = row[x]! ^ (~row[(x + 1) % 5]! & MASK & row[(x + 2) % 5]!);
    }
    s[0] = s[0]! ^ ROUND[round]!;
  }
}

const RATE = 136;

/** Keccak-256 of `data` (bytes, or a string as UTF-8). */
export function keccak256Bytes(data: Uint8Array | string): Uint8Array {
  const input = typeof data === 'string' ? utf8ToBytes(data) : data;
  const blocks = Math.floor(input.length / RATE) + 1;
  const padded = new Uint8Array(blocks * RATE);
  padded.set(input);
  padded[input.length]! ^= 0x01;
  padded[padded.length - 1]! ^= 0x80;
  const s: bigint[] = new Array(25).fill(0n);
  for (let b = 0; b < blocks; b++) {
    for (let lane = 0; lane < RATE / 8; lane++) {
      let v = 0n;
      for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(padded[b * RATE + lane * 8 + k]!);
      s[lane] = s[lane]! ^ v;
    }
    permute(s);
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((s[i >> 3]! >> BigInt(8 * (i & 7))) & 0xffn);
  return out;
}

/** Keccak-256 of `data`, as 0x and 64 lower-case hex digits. */
export const keccak256Hex = (data: Uint8Array | string): `0x${string}` => `0x${bytesToHex(keccak256Bytes(data))}`;

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Whether `s` is 0x and 40 hex digits (any case, like viem's `isAddress(s, { strict: false })`). */
export const isHexAddress = (s: unknown): s is `0x${string}` => typeof s === 'string' && ADDRESS.test(s);

/**
 * The EIP-55 checksummed spelling of an address (what viem's `getAddress` returns for a valid one).
 * Throws a `TypeError` when `address` is not 0x and 40 hex digits.
 */
export function checksumAddress(address: string): `0x${string}` {
  if (!isHexAddress(address)) throw new TypeError(`Address "${address}" is invalid: expected 0x and 40 hex digits`);
  const lower = address.slice(2).toLowerCase();
  const hash = bytesToHex(keccak256Bytes(lower));
  let out = '0x';
  for (let i = 0; i < 40; i++) out += parseInt(hash[i]!, 16) >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  return out as `0x${string}`;
}

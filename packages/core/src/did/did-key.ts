// did:key for Ed25519 keys (multicodec 0xed01, multibase base58btc): https://w3c-ccg.github.io/did-method-key/
import * as ed from '@noble/ed25519';
import { base58Decode, base58Encode } from '../base58.js';
import { bytesToHex, hexToBytes } from '../bytes.js';
import type { DidSigner } from './signer.js';

const ED25519_PUB_MULTICODEC = Uint8Array.of(0xed, 0x01);

/** The did:key of an Ed25519 public key. */
export function didKeyFromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new TypeError('an Ed25519 public key has 32 bytes');
  const bytes = new Uint8Array(34);
  bytes.set(ED25519_PUB_MULTICODEC);
  bytes.set(publicKey, 2);
  return `did:key:z${base58Encode(bytes)}`;
}

/**
 * The Ed25519 public key a did:key names. Throws a `TypeError` for anything that is not an
 * Ed25519 did:key (other key types, malformed multibase, wrong length).
 */
export function publicKeyFromDidKey(did: string): Uint8Array {
  const m = /^did:key:z([1-9A-HJ-NP-Za-km-z]+)(#.*)?$/.exec(did);
  if (!m) throw new TypeError('not a did:key with a base58btc multibase key');
  const bytes = base58Decode(m[1]!);
  if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) throw new TypeError('not an Ed25519 did:key');
  return bytes.slice(2);
}

/** An Ed25519 key pair and its did:key. Keep `privateKey` secret: it never needs to leave the device. */
export interface DidKeyPair {
  did: string;
  /** 32-byte Ed25519 seed, hex. */
  privateKey: string;
  /** 32-byte Ed25519 public key, hex. */
  publicKey: string;
}

/**
 * Generates a fresh Ed25519 key and its did:key.
 * @example
 * const key = await generateDidKey();
 * await client.auth.login(didKeySigner(key.privateKey));
 */
export async function generateDidKey(): Promise<DidKeyPair> {
  return didKeyFromPrivateKey(ed.utils.randomSecretKey());
}

/** The key pair (and did:key) of an existing Ed25519 private key given as hex or bytes. */
export async function didKeyFromPrivateKey(privateKey: string | Uint8Array): Promise<DidKeyPair> {
  const secret = typeof privateKey === 'string' ? hexToBytes(privateKey) : privateKey;
  if (secret.length !== 32) throw new TypeError('an Ed25519 private key has 32 bytes');
  const publicKey = await ed.getPublicKeyAsync(secret);
  return { did: didKeyFromPublicKey(publicKey), privateKey: bytesToHex(secret), publicKey: bytesToHex(publicKey) };
}

/** A signer that signs with an Ed25519 private key (hex or bytes) as its did:key. */
export async function didKeySigner(privateKey: string | Uint8Array): Promise<DidSigner> {
  const secret = typeof privateKey === 'string' ? hexToBytes(privateKey) : Uint8Array.from(privateKey);
  const { did } = await didKeyFromPrivateKey(secret);
  return { did, algorithm: 'EdDSA', sign: (message) => ed.signAsync(message, secret) };
}

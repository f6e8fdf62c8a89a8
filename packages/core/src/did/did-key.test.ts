import * as ed from '@noble/ed25519';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../bytes.js';
import {
  didKeyFromPrivateKey,
  didKeyFromPublicKey,
  didKeySigner,
  generateDidKey,
  publicKeyFromDidKey,
} from './did-key.js';

describe('did:key (Ed25519)', () => {
  it('derives the RFC 8032 test vector 1 public key and encodes it with the 0xed01 multicodec', async () => {
    const key = await didKeyFromPrivateKey('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    expect(key.publicKey).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(key.did).toMatch(/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/);
    expect(bytesToHex(publicKeyFromDidKey(key.did))).toBe(key.publicKey);
  });

  it('decodes the W3C did:key specification example', () => {
    // https://w3c-ccg.github.io/did-method-key/ — Ed25519 example
    const pub = publicKeyFromDidKey('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK');
    expect(pub).toHaveLength(32);
    expect(didKeyFromPublicKey(pub)).toBe('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK');
  });

  it('rejects other key types and malformed identifiers', () => {
    expect(() => publicKeyFromDidKey('did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme')).toThrow(
      'not an Ed25519 did:key',
    );
    expect(() => publicKeyFromDidKey('did:key:abc')).toThrow('not a did:key');
    expect(() => publicKeyFromDidKey('did:web:example.com')).toThrow('not a did:key');
  });

  it('signs verifiably and never exposes the private key through the signer', async () => {
    const key = await generateDidKey();
    const signer = await didKeySigner(key.privateKey);
    expect(signer.did).toBe(key.did);
    expect(JSON.stringify(signer)).not.toContain(key.privateKey);
    const message = new TextEncoder().encode('hello');
    const sig = await signer.sign(message);
    expect(await ed.verifyAsync(sig, message, hexToBytes(key.publicKey))).toBe(true);
  });

  it('round-trips any 32-byte public key through its did:key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (publicKey) => {
        const did = didKeyFromPublicKey(publicKey);
        expect(did).toMatch(/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+$/);
        expect(publicKeyFromDidKey(did)).toEqual(publicKey);
      }),
    );
  });
});

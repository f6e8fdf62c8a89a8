// The enclave's HPKE key (RFC 9180: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM): clients seal
// confidential terms to its public key, which every attestation document carries as `public_key`.
// Created at first start in `<dataDir>/keys/sealing-key.json` (0600).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Aes256Gcm, CipherSuite, HkdfSha256 } from '@hpke/core';
import { DhkemX25519HkdfSha256 } from '@hpke/dhkem-x25519';
import { createPrivateFile, readJsonFile } from '../private-files.js';

export const SEALING_KEY_FILE = 'sealing-key.json';

export const hpkeSuite = () =>
  new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });

export interface SealingKey {
  /** Raw X25519 public key (32 bytes). */
  publicKey: Uint8Array;
  /** First 16 hex digits of the public key's SHA-256: names the key in envelopes. */
  kid: string;
  open(enc: Uint8Array, ciphertext: Uint8Array, info: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
}

export async function openSealingKey(keysDir: string): Promise<SealingKey> {
  const suite = hpkeSuite();
  const path = join(keysDir, SEALING_KEY_FILE);
  if (!existsSync(path)) {
    const pair = await suite.kem.generateKeyPair();
    const privateKey = Buffer.from(await suite.kem.serializePrivateKey(pair.privateKey)).toString('base64');
    const publicKey = Buffer.from(await suite.kem.serializePublicKey(pair.publicKey)).toString('base64');
    createPrivateFile(path, JSON.stringify({ privateKey, publicKey }));
  }
  const stored = readJsonFile<{ privateKey: string; publicKey: string }>(path);
  const recipientKey = await suite.kem.deserializePrivateKey(
    new Uint8Array(Buffer.from(stored.privateKey, 'base64')).buffer,
  );
  const publicKey = new Uint8Array(Buffer.from(stored.publicKey, 'base64'));
  return {
    publicKey,
    kid: createHash('sha256').update(publicKey).digest('hex').slice(0, 16),
    async open(enc, ciphertext, info, aad) {
      return new Uint8Array(
        await suite.open(
          { recipientKey, enc: enc as Uint8Array<ArrayBuffer>, info: info as Uint8Array<ArrayBuffer> },
          ciphertext as Uint8Array<ArrayBuffer>,
          aad as Uint8Array<ArrayBuffer>,
        ),
      );
    },
  };
}

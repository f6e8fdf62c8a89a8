// AES-256-GCM with a data key from the enclave, for objects the server encrypts itself (large files
// are encrypted where they stream, not sent to the enclave). Layout: IV (12) | ciphertext | tag (16).
// `aad` should name the object (its encryption context), so ciphertexts cannot be swapped between rows.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export function encryptWithDataKey(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** Throws when the ciphertext, the key or the AAD differ from what was encrypted. */
export function decryptWithDataKey(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer {
  const bytes = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(aad);
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
}

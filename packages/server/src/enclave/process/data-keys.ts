// Envelope encryption (the KMS / Vault transit pattern): a fresh AES-256 data key per object, returned
// in plaintext for the caller to use once and wrapped under the current KEK for storage. The wrap is
// AES-256-GCM whose AAD is the header (format, KEK version) and the canonical encryption context, so a
// wrapped key only unwraps for the object it was made for.
//
// The wrapped key's layout is in ../protocol/wrapped-key.ts.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EncryptionContext } from '../protocol/operations.js';
import {
  WRAPPED_KEY_FORMAT as FORMAT,
  WRAPPED_KEY_HEADER_BYTES as HEADER,
  WRAPPED_KEY_BYTES,
  wrappedKeyKekVersion,
} from '../protocol/wrapped-key.js';
import { EnclaveError } from './enclave-error.js';
import type { KekRing } from './kek-ring.js';

export { WRAPPED_KEY_BYTES };

export function checkContext(context: EncryptionContext): void {
  for (const field of ['organizationId', 'purpose', 'objectId'] as const) {
    const value = context?.[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > 512)
      throw new EnclaveError('bad_request', `context.${field} must be a string of 1 to 512 characters`);
  }
}

const aadOf = (header: Buffer, context: EncryptionContext) =>
  Buffer.concat([
    header,
    Buffer.from(
      canonicalize({ organizationId: context.organizationId, purpose: context.purpose, objectId: context.objectId })!,
      'utf8',
    ),
  ]);

export function wrapDataKey(
  keks: KekRing,
  plaintextKey: Buffer,
  context: EncryptionContext,
): { wrappedKey: Buffer; kekVersion: number } {
  checkContext(context);
  const { version, key } = keks.current();
  const header = Buffer.alloc(HEADER);
  header.writeUInt8(FORMAT, 0);
  header.writeUInt32BE(version, 1);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aadOf(header, context));
  const ciphertext = Buffer.concat([cipher.update(plaintextKey), cipher.final()]);
  return { wrappedKey: Buffer.concat([header, iv, ciphertext, cipher.getAuthTag()]), kekVersion: version };
}

/** The KEK version a wrapped key names (without unwrapping it). */
export function kekVersionOf(wrappedKey: Uint8Array): number {
  const version = wrappedKeyKekVersion(wrappedKey);
  if (version === undefined) throw new EnclaveError('bad_request', 'not a wrapped data key');
  return version;
}

export function unwrapDataKey(keks: KekRing, wrappedKey: Uint8Array, context: EncryptionContext): Buffer {
  checkContext(context);
  const version = kekVersionOf(wrappedKey);
  const bytes = Buffer.from(wrappedKey);
  const decipher = createDecipheriv('aes-256-gcm', keks.key(version), bytes.subarray(HEADER, HEADER + 12));
  decipher.setAAD(aadOf(bytes.subarray(0, HEADER), context));
  decipher.setAuthTag(bytes.subarray(HEADER + 12 + 32));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(HEADER + 12, HEADER + 12 + 32)), decipher.final()]);
  } catch {
    throw new EnclaveError('forbidden', 'the wrapped key does not open for this context');
  }
}

export function generateDataKey(keks: KekRing, context: EncryptionContext) {
  const plaintextKey = randomBytes(32);
  return { plaintextKey, ...wrapDataKey(keks, plaintextKey, context) };
}

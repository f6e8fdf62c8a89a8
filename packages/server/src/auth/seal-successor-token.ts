// Seals a refresh token's successor to the token itself: AES-256-GCM under a key derived (HKDF-SHA256)
// from the presented refresh token. The store then holds only ciphertext that no one without the
// previous token can open (not the operator, not a Redis dump), and the server keeps no extra secret.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const INFO = 'cms refresh-token reuse grace v1';

const keyOf = (previousToken: string) => Buffer.from(hkdfSync('sha256', previousToken, Buffer.alloc(0), INFO, 32));

/** `successor`, readable only by `openSuccessorToken` with `previousToken`. */
export function sealSuccessorToken(successor: string, previousToken: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(previousToken), iv);
  const sealed = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The successor sealed by `sealSuccessorToken`; undefined when `previousToken` is not the one it was sealed to. */
export function openSuccessorToken(sealed: string, previousToken: string): string | undefined {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(previousToken), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(-16));
    return Buffer.concat([decipher.update(bytes.subarray(12, -16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

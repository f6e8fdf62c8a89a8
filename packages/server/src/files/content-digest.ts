// The client's SHA-256 of an upload, from its `Content-Digest` header (RFC 9530, `sha-256=:<base64>:`).
import { AppError } from '../errors/app-error.js';

/** The lower-case hex SHA-256 a `Content-Digest` header names; `validation_failed` when it names none. */
export function parseContentDigest(header: string | undefined): string {
  const member = header
    ?.split(',')
    .map((m) => m.trim())
    .map((m) => /^sha-256=:([A-Za-z0-9+/]{43}=):$/i.exec(m))
    .find((m) => m !== null);
  const bytes = member ? Buffer.from(member[1]!, 'base64') : undefined;
  if (!bytes || bytes.length !== 32) {
    throw new AppError('validation_failed', 'Send the SHA-256 of the body as Content-Digest: sha-256=:<base64>:.', {
      errors: [{ path: '/headers/content-digest', message: 'needs a sha-256 member (RFC 9530)' }],
    });
  }
  return bytes.toString('hex');
}

/** The `Content-Digest` header value for a hex SHA-256. */
export const contentDigestOf = (sha256Hex: string) => `sha-256=:${Buffer.from(sha256Hex, 'hex').toString('base64')}:`;

// The API view of a `files` row, and the encryption context of a blob (organization, purpose, hash and
// blob id: one data key per blob, bound to the content it encrypts).

import type { files } from '../db/schema/index.js';
import type { EncryptionContext } from '../enclave/client/enclave-service.js';
import type { StoredFile } from '../generated/schemas.js';

export type FileRow = typeof files.$inferSelect;

export const storedFileView = (row: FileRow): StoredFile => ({
  sha256: row.sha256,
  size: row.size,
  mediaType: row.mediaType as StoredFile['mediaType'],
  createdAt: row.createdAt.toISOString(),
});

export const fileContext = (organizationId: string, sha256: string, blobId: string): EncryptionContext => ({
  organizationId,
  purpose: 'file',
  objectId: `${sha256}.${blobId}`,
});

/** The blob id of a row's blob key (`<organization id>/<sha256>.<blob id>`). */
export const blobIdOf = (row: FileRow) => row.blobKey.slice(row.blobKey.lastIndexOf('.') + 1);

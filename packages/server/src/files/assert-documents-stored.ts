// A contract may only reference files its organization uploaded, with the size and media type they have.
// The rows are read FOR SHARE in the contract's transaction, so a file cannot be removed (by the cleanup of
// unreferenced files) while a contract starts referencing it.
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { files } from '../db/schema/index.js';
import { AppError, type FieldError } from '../errors/app-error.js';
import type { DocumentRef } from '../generated/schemas.js';
import { declaredTypeAgrees, type SniffedMediaType } from './sniff-media-type.js';

export async function assertDocumentsStored(
  tx: Tx,
  organizationId: string,
  documents: readonly DocumentRef[],
  path = '/body/documents',
): Promise<void> {
  if (documents.length === 0) return;
  const rows = await tx
    .select({ sha256: files.sha256, size: files.size, mediaType: files.mediaType })
    .from(files)
    .where(
      and(
        eq(files.organizationId, organizationId),
        inArray(
          files.sha256,
          documents.map((d) => d.sha256),
        ),
      ),
    )
    .for('share');
  const stored = new Map(rows.map((r) => [r.sha256, r]));
  const errors: FieldError[] = [];
  documents.forEach((d, i) => {
    const file = stored.get(d.sha256);
    if (!file)
      errors.push({ path: `${path}/${i}/sha256`, message: 'no file with this SHA-256 was uploaded (POST /v1/files)' });
    else if (d.size !== undefined && d.size !== file.size)
      errors.push({ path: `${path}/${i}/size`, message: `the uploaded file has ${file.size} bytes` });
    else if (d.mediaType !== undefined && !declaredTypeAgrees(d.mediaType, file.mediaType as SniffedMediaType))
      errors.push({ path: `${path}/${i}/mediaType`, message: `the uploaded file is ${file.mediaType}` });
  });
  if (errors.length)
    throw new AppError('invalid_reference', 'Every document must be a file uploaded to your organization.', { errors });
}

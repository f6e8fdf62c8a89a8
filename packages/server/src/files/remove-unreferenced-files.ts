// Files nobody needs: uploaded more than `CMS_FILE_UNREFERENCED_TTL_SECONDS` ago and named by no contract
// of their organization (an upload whose contract was never created, a document replaced in a draft).
// Their row and data key are deleted in one transaction, then the blob. Safe with many instances and
// with contracts being created: candidates are locked FOR UPDATE SKIP LOCKED (a contract that is taking
// one up holds it FOR SHARE, see assert-documents-stored.ts, and is skipped), and the references are
// checked again by the DELETE itself, whose snapshot is taken after the locks are held.
import { and, eq, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { FilesConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { dataKeys, files } from '../db/schema/index.js';
import type { Logger } from '../observability/logger.js';
import { startPeriodicTask } from '../periodic-task.js';
import type { FileStorage } from './file-storage.js';

export interface RemoveOptions {
  /** Files uploaded before this and unreferenced are removed. */
  uploadedBefore: Date;
  /** Most files removed per call. @default 100 */
  batch?: number;
}

/** No contract of the file's organization names it (uses the GIN index on `contracts.documents`). */
const unreferenced: SQL = sql`not exists (select 1 from contracts c where c.organization_id = ${files.organizationId}
  and c.documents @> jsonb_build_array(jsonb_build_object('sha256', ${files.sha256})))`;

/** Removes up to `batch` unreferenced files; returns their blob keys. A blob that cannot be deleted is reported, not retried. */
export async function removeUnreferencedFiles(
  deps: { db: Db; storage: FileStorage; onBlobError?: (error: unknown, blobKey: string) => void },
  { uploadedBefore, batch = 100 }: RemoveOptions,
): Promise<string[]> {
  const removed = await deps.db.transaction(async (tx) => {
    const candidates = await tx
      .select({ organizationId: files.organizationId, sha256: files.sha256 })
      .from(files)
      .where(and(lt(files.createdAt, uploadedBefore), unreferenced))
      .limit(batch)
      .for('update', { skipLocked: true });
    if (candidates.length === 0) return [];
    const rows = await tx
      .delete(files)
      .where(
        and(
          or(...candidates.map((c) => and(eq(files.organizationId, c.organizationId), eq(files.sha256, c.sha256)))),
          unreferenced,
        ),
      )
      .returning({ blobKey: files.blobKey, dataKeyId: files.dataKeyId });
    if (rows.length)
      await tx.delete(dataKeys).where(
        inArray(
          dataKeys.id,
          rows.map((r) => r.dataKeyId),
        ),
      );
    return rows.map((r) => r.blobKey);
  });
  // After the commit: a crash here leaves an orphan blob (garbage, never a row without its bytes).
  for (const key of removed) {
    await deps.storage.blobs.delete(key).catch((error) => deps.onBlobError?.(error, key));
  }
  return removed;
}

/** Runs the cleanup every `cleanupIntervalMs`; undefined when `unreferencedTtlSeconds` is 0 (files are kept). */
export function startUnreferencedFileCleanup(
  deps: { db: Db; storage: FileStorage; logger: Logger },
  config: Pick<FilesConfig, 'unreferencedTtlSeconds' | 'cleanupIntervalMs'>,
): (() => Promise<void>) | undefined {
  const ttlSeconds = config.unreferencedTtlSeconds ?? 86_400;
  if (ttlSeconds === 0) return undefined;
  const { logger } = deps;
  return startPeriodicTask(
    async () => {
      const removed = await removeUnreferencedFiles(
        {
          ...deps,
          onBlobError: (err, blobKey) => logger.warn({ err, blobKey }, 'unreferenced file: blob not deleted'),
        },
        { uploadedBefore: new Date(Date.now() - ttlSeconds * 1000) },
      );
      if (removed.length) logger.info({ count: removed.length }, 'unreferenced files removed');
    },
    {
      intervalMs: config.cleanupIntervalMs ?? 600_000,
      onError: (err) => logger.warn({ err }, 'unreferenced-file cleanup failed; retrying next round'),
    },
  );
}

// POST /v1/files: streams the body through the checks and the encryptor into the blob store, then
// records it. The row is inserted last, in one transaction with its data key, so an interrupted or
// refused upload leaves nothing visible (its blob, if any, is deleted); a file the organization already
// has keeps its first blob (ON CONFLICT DO NOTHING) and the new one is dropped.
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { dataKeys, files } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import type { Enclave } from '../enclave/client/enclave-service.js';
import { contextAad, storeDataKey } from '../enclave/data-keys/stored-data-keys.js';
import { AppError } from '../errors/app-error.js';
import type { StoredFile } from '../generated/schemas.js';
import { encryptChunks } from './chunked-cipher.js';
import { parseContentDigest } from './content-digest.js';
import type { FileStorage } from './file-storage.js';
import { fileContext, storedFileView } from './file-view.js';
import { tooLarge, validateUpload } from './validate-upload.js';

export interface UploadRequest {
  body: ReadableStream<Uint8Array> | null;
  contentType: string | undefined;
  contentLength: string | undefined;
  contentDigest: string | undefined;
}

export async function uploadFile(
  deps: { db: Db; enclave: Enclave; storage: FileStorage },
  principal: Principal,
  req: UploadRequest,
): Promise<{ file: StoredFile; created: boolean }> {
  const state = { drained: false };
  try {
    return await storeUpload(deps, principal, req, state);
  } catch (error) {
    // Refused before the whole body arrived: the rest is never read, so the connection cannot be reused.
    if (!state.drained && error instanceof AppError)
      throw new AppError(error.code, error.detail, {
        ...error.extra,
        headers: { ...error.extra.headers, connection: 'close' },
      });
    throw error;
  }
}

async function storeUpload(
  deps: { db: Db; enclave: Enclave; storage: FileStorage },
  principal: Principal,
  req: UploadRequest,
  state: { drained: boolean },
): Promise<{ file: StoredFile; created: boolean }> {
  const sha256 = parseContentDigest(req.contentDigest);
  const { maxBytes, blobs } = deps.storage;
  // A declared length over the limit is refused before a byte is read.
  if (req.contentLength !== undefined && Number(req.contentLength) > maxBytes) throw tooLarge(maxBytes);
  const organizationId = principal.organizationId;
  const blobId = uuidv7();
  const context = fileContext(organizationId, sha256, blobId);
  const { plaintextKey, ...wrapped } = await deps.enclave.generateDataKey(context);
  const check = validateUpload(req.body ? chunksOf(req.body) : emptyBody(), {
    maxBytes,
    declaredType: req.contentType,
    expectedSha256: sha256,
  });
  const blobKey = `${organizationId}/${sha256}.${blobId}`;
  await blobs.put(blobKey, encryptChunks(plaintextKey, contextAad(context), check.chunks));
  state.drained = true;
  try {
    const facts = await check.finish();
    const inserted = await deps.db.transaction(async (tx) => {
      const dataKeyId = await storeDataKey(tx, context, wrapped);
      const [row] = await tx
        .insert(files)
        .values({ organizationId, sha256, ...facts, blobKey, dataKeyId, createdBy: principal.did })
        .onConflictDoNothing()
        .returning();
      // Already stored: this upload's key goes with its blob.
      if (!row) await tx.delete(dataKeys).where(eq(dataKeys.id, dataKeyId));
      return row;
    });
    if (inserted) return { file: storedFileView(inserted), created: true };
    await blobs.delete(blobKey);
    const [existing] = await deps.db
      .select()
      .from(files)
      .where(and(eq(files.organizationId, organizationId), eq(files.sha256, sha256)));
    return { file: storedFileView(existing!), created: false };
  } catch (error) {
    await blobs.delete(blobKey);
    throw error;
  }
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

/** A web stream's chunks; stops reading (and releases it) when the consumer stops early. */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export const missingFile = (sha256: string) => new AppError('file_not_found', `No file ${sha256}.`);

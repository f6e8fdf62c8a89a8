// Data keys as rows of `data_keys`: the one place wrapped keys are stored, so rotation finds them all.
// Callers that encrypt in the server (documents) create a key here, use its plaintext once, and keep
// only the row id next to their ciphertext.
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.js';
import { dataKeys } from '../../db/schema/index.js';
import { uuidv7 } from '../../db/uuidv7.js';
import type { Enclave, EncryptionContext } from '../client/enclave-service.js';

/** Stores a wrapped key for `context`, replacing the object's previous one; answers its row id. */
export async function storeDataKey(
  tx: Db | Tx,
  context: EncryptionContext,
  wrapped: { wrappedKey: Uint8Array; kekVersion: number },
): Promise<string> {
  const [row] = await tx
    .insert(dataKeys)
    .values({ id: uuidv7(), ...context, kekVersion: wrapped.kekVersion, wrappedKey: wrapped.wrappedKey })
    .onConflictDoUpdate({
      target: [dataKeys.organizationId, dataKeys.purpose, dataKeys.objectId],
      set: { kekVersion: wrapped.kekVersion, wrappedKey: wrapped.wrappedKey, rewrappedAt: null },
    })
    .returning({ id: dataKeys.id });
  return row!.id;
}

/**
 * A new data key for `context`, stored wrapped; the plaintext is for one encryption, then dropped.
 * @example
 *   const { id, plaintextKey } = await createDataKey(tx, services.enclave, { organizationId, purpose: 'document', objectId: sha256 });
 *   const sealed = encryptWithDataKey(plaintextKey, bytes, aadOf(context));
 */
export async function createDataKey(
  tx: Db | Tx,
  enclave: Enclave,
  context: EncryptionContext,
): Promise<{ id: string; plaintextKey: Uint8Array }> {
  const { plaintextKey, ...wrapped } = await enclave.generateDataKey(context);
  return { id: await storeDataKey(tx, context, wrapped), plaintextKey };
}

/** The plaintext data key of row `id` (which must belong to `organizationId`). */
export async function openDataKey(
  db: Db | Tx,
  enclave: Enclave,
  organizationId: string,
  id: string,
): Promise<Uint8Array> {
  const [row] = await db
    .select()
    .from(dataKeys)
    .where(and(eq(dataKeys.id, id), eq(dataKeys.organizationId, organizationId)));
  if (!row) throw new Error(`no data key ${id}`);
  return enclave.decryptDataKey(row.wrappedKey, {
    organizationId: row.organizationId,
    purpose: row.purpose,
    objectId: row.objectId,
  });
}

/** The canonical AAD bytes for server-side encryption under a context. */
export const contextAad = (c: EncryptionContext) =>
  Buffer.from(JSON.stringify([c.organizationId, c.purpose, c.objectId]), 'utf8');

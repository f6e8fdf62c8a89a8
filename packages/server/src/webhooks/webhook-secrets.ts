// Endpoint signing secrets: `whsec_` + base64 of 32 random bytes (Standard Webhooks), stored only as
// AES-256-GCM ciphertext under an enclave data key (purpose `webhook-secret`). A rotation adds a secret
// and gives the older ones an expiry; until then every delivery is signed with each of them.
import { randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db, Tx } from '../db/database.js';
import { webhookSecrets } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import type { Enclave } from '../enclave/client/enclave-service.js';
import { decryptWithDataKey, encryptWithDataKey } from '../enclave/data-keys/envelope-cipher.js';
import { contextAad, createDataKey, openDataKey } from '../enclave/data-keys/stored-data-keys.js';

export const SECRET_PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/**
 * Encrypts and stores `secret` for an endpoint. The data key is made before the caller's transaction
 * writes anything else, so an enclave outage fails the request (503) without a partial write.
 */
export async function storeWebhookSecret(
  tx: Db | Tx,
  enclave: Enclave,
  endpoint: { id: string; organizationId: string },
  secret: string,
  now: Date,
): Promise<void> {
  const id = uuidv7();
  const context = { organizationId: endpoint.organizationId, purpose: 'webhook-secret', objectId: id };
  const key = await createDataKey(tx, enclave, context);
  const ciphertext = encryptWithDataKey(key.plaintextKey, Buffer.from(secret, 'utf8'), contextAad(context));
  await tx.insert(webhookSecrets).values({
    id,
    endpointId: endpoint.id,
    organizationId: endpoint.organizationId,
    dataKeyId: key.id,
    ciphertext,
    createdAt: now,
  });
}

/** The secrets that sign now (current and within their grace period), oldest first, decrypted. */
export async function activeWebhookSecrets(
  db: Db,
  enclave: Enclave,
  endpoint: { id: string; organizationId: string },
  now = new Date(),
): Promise<string[]> {
  const rows = await db
    .select()
    .from(webhookSecrets)
    .where(
      and(
        eq(webhookSecrets.endpointId, endpoint.id),
        eq(webhookSecrets.organizationId, endpoint.organizationId),
        or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, now)),
      ),
    )
    .orderBy(asc(webhookSecrets.createdAt), asc(webhookSecrets.id));
  return Promise.all(
    rows.map(async (r) => {
      const key = await openDataKey(db, enclave, r.organizationId, r.dataKeyId);
      const context = { organizationId: r.organizationId, purpose: 'webhook-secret', objectId: r.id };
      return decryptWithDataKey(key, r.ciphertext, contextAad(context)).toString('utf8');
    }),
  );
}

/** Starts a rotation: every secret still current expires at `expiresAt`; the caller then stores the new one. */
export async function expireCurrentSecrets(
  tx: Tx,
  endpoint: { id: string; organizationId: string },
  expiresAt: Date,
): Promise<void> {
  await tx
    .update(webhookSecrets)
    .set({ expiresAt })
    .where(
      and(
        eq(webhookSecrets.endpointId, endpoint.id),
        eq(webhookSecrets.organizationId, endpoint.organizationId),
        or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, expiresAt)),
      ),
    );
}

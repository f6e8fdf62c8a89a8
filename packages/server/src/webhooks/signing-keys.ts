// The server's Ed25519 key for Standard Webhooks `v1a` signatures. One key for every instance: the first
// to start makes it (the private half encrypted under an enclave data key) and the others load it, so
// the JWKS at /.well-known/webhook-keys.json is the same wherever a receiver fetches it.
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { asc } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { webhookSigningKeys } from '../db/schema/index.js';
import type { Enclave } from '../enclave/client/enclave-service.js';
import { decryptWithDataKey, encryptWithDataKey } from '../enclave/data-keys/envelope-cipher.js';
import { contextAad } from '../enclave/data-keys/stored-data-keys.js';

/** Not an organization's key: the all-zero tenant names the server itself in the encryption context. */
const SERVER_TENANT = '00000000-0000-0000-0000-000000000000';
/** The encryption context of signing key `kid`'s data key (stored in this table: `data_keys` rows belong to an organization). */
export const webhookSigningKeyContext = (kid: string) => ({
  organizationId: SERVER_TENANT,
  purpose: 'webhook-signing-key',
  objectId: kid,
});
const contextOf = webhookSigningKeyContext;

export interface WebhookSigningKey {
  kid: string;
  /** `v1a,<base64 Ed25519 signature>` of `${id}.${timestamp}.${body}`. */
  sign(content: string): string;
}

export interface WebhookJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** The published keys, oldest first. */
export async function webhookJwks(db: Db): Promise<{ keys: WebhookJwk[] }> {
  const rows = await db
    .select({ kid: webhookSigningKeys.kid, x: webhookSigningKeys.publicKey })
    .from(webhookSigningKeys)
    .orderBy(asc(webhookSigningKeys.createdAt));
  return { keys: rows.map((r) => ({ kty: 'OKP', crv: 'Ed25519', x: r.x, kid: r.kid, alg: 'EdDSA', use: 'sig' })) };
}

/** The newest signing key, made on first use. */
export async function loadWebhookSigningKey(db: Db, enclave: Enclave): Promise<WebhookSigningKey> {
  let [row] = await db.select().from(webhookSigningKeys).orderBy(asc(webhookSigningKeys.createdAt)).limit(1);
  if (!row) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const x = publicKey.export({ format: 'jwk' }).x!;
    const kid = createHash('sha256').update(x).digest('base64url').slice(0, 16);
    const context = contextOf(kid);
    const dataKey = await enclave.generateDataKey(context);
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    // Two instances starting together: one insert wins, both then use the winner's key.
    await db
      .insert(webhookSigningKeys)
      .values({
        kid,
        publicKey: x,
        wrappedKey: dataKey.wrappedKey,
        ciphertext: encryptWithDataKey(dataKey.plaintextKey, pkcs8, contextAad(context)),
      })
      .onConflictDoNothing();
    [row] = await db.select().from(webhookSigningKeys).orderBy(asc(webhookSigningKeys.createdAt)).limit(1);
  }
  const context = contextOf(row!.kid);
  const dataKey = await enclave.decryptDataKey(row!.wrappedKey, context);
  const key: KeyObject = createPrivateKey({
    key: decryptWithDataKey(dataKey, row!.ciphertext, contextAad(context)),
    format: 'der',
    type: 'pkcs8',
  });
  return {
    kid: row!.kid,
    sign: (content) => `v1a,${sign(null, Buffer.from(content, 'utf8'), key).toString('base64')}`,
  };
}

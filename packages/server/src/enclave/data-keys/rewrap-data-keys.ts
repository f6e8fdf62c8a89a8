// KEK rotation without downtime: rewrap walks `data_keys` in id order, asks the enclave to re-encrypt
// each batch under the current KEK (the data keys themselves never leave the enclave), and stores the
// results; then the server's own webhook signing keys, whose wrapped data keys sit next to them. Readers
// keep working throughout: an old KEK decrypts until it is retired, and retiring is refused while any
// stored key still names it.
import { and, asc, count, eq, gt, ne } from 'drizzle-orm';
import { storeRewrappedKeys } from '../../db/data-keys-bulk.js';
import type { Db } from '../../db/database.js';
import { dataKeys, webhookSigningKeys } from '../../db/schema/index.js';
import { webhookSigningKeyContext } from '../../webhooks/signing-keys.js';
import type { Enclave } from '../client/enclave-service.js';
import { wrappedKeyKekVersion } from '../protocol/wrapped-key.js';

const kekVersionOf = wrappedKeyKekVersion;

export interface RewrapProgress {
  rewrapped: number;
  /** Rows a concurrent writer replaced before their rewrap was stored (they already use a newer key). */
  skipped: number;
  currentVersion: number;
}

export async function currentKekVersion(enclave: Enclave): Promise<number> {
  const current = (await enclave.listKeks()).find((k) => k.state === 'current');
  if (!current) throw new Error('the enclave has no current KEK');
  return current.version;
}

/** Rewraps every data key not under the current KEK; `onBatch` sees the running totals. */
export async function rewrapDataKeys(
  db: Db,
  enclave: Enclave,
  options: { batchSize?: number; onBatch?: (p: RewrapProgress) => void } = {},
): Promise<RewrapProgress> {
  const batchSize = Math.min(options.batchSize ?? 500, 1000);
  const currentVersion = await currentKekVersion(enclave);
  const progress: RewrapProgress = { rewrapped: 0, skipped: 0, currentVersion };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db
      .select()
      .from(dataKeys)
      .where(and(ne(dataKeys.kekVersion, currentVersion), gt(dataKeys.id, after)))
      .orderBy(asc(dataKeys.id))
      .limit(batchSize);
    if (!rows.length) break;
    const rewrapped = await enclave.rewrapDataKeys(
      rows.map((r) => ({
        wrappedKey: r.wrappedKey,
        context: { organizationId: r.organizationId, purpose: r.purpose, objectId: r.objectId },
      })),
    );
    const stored = await storeRewrappedKeys(
      db,
      rows.map((r, i) => ({
        id: r.id,
        fromVersion: r.kekVersion,
        kekVersion: rewrapped[i]!.kekVersion,
        wrappedKey: rewrapped[i]!.wrappedKey,
      })),
    );
    progress.rewrapped += stored;
    progress.skipped += rows.length - stored;
    options.onBatch?.({ ...progress });
    after = rows.at(-1)!.id;
  }
  const signingKeys = (await db.select().from(webhookSigningKeys)).filter(
    (k) => kekVersionOf(k.wrappedKey) !== currentVersion,
  );
  if (signingKeys.length) {
    const rewrapped = await enclave.rewrapDataKeys(
      signingKeys.map((k) => ({ wrappedKey: k.wrappedKey, context: webhookSigningKeyContext(k.kid) })),
    );
    for (const [i, k] of signingKeys.entries()) {
      // Only over the key read: a concurrent rewrap that stored first wins.
      const stored = await db
        .update(webhookSigningKeys)
        .set({ wrappedKey: rewrapped[i]!.wrappedKey })
        .where(and(eq(webhookSigningKeys.kid, k.kid), eq(webhookSigningKeys.wrappedKey, k.wrappedKey)))
        .returning({ kid: webhookSigningKeys.kid });
      if (stored.length) progress.rewrapped++;
      else progress.skipped++;
    }
    options.onBatch?.({ ...progress });
  }
  return progress;
}

export class KekStillInUseError extends Error {
  override name = 'KekStillInUseError';
  constructor(
    readonly version: number,
    readonly objects: number,
  ) {
    super(
      `${objects} stored objects are still wrapped under KEK version ${version}; run \`cms-server rewrap-data-keys\` first`,
    );
  }
}

/** Objects whose data key is wrapped under `version`. */
export async function countWrappedUnder(db: Db, version: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(dataKeys).where(eq(dataKeys.kekVersion, version));
  const signingKeys = await db.select({ wrappedKey: webhookSigningKeys.wrappedKey }).from(webhookSigningKeys);
  return Number(row?.n ?? 0) + signingKeys.filter((k) => kekVersionOf(k.wrappedKey) === version).length;
}

/** Destroys KEK `version` in the enclave, but only when no stored object is still wrapped under it. */
export async function retireKek(db: Db, enclave: Enclave, version: number): Promise<void> {
  const objects = await countWrappedUnder(db, version);
  if (objects > 0) throw new KekStillInUseError(version, objects);
  await enclave.retireKek(version);
}

// KEK rotation and rewrap of stored data keys on a real database and a real enclave process.
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { dataKeys, organizations } from '../../db/schema/index.js';
import { uuidv7 } from '../../db/uuidv7.js';
import { createLogger } from '../../observability/logger.js';
import { openTestDatabase } from '../../testing/test-database.js';
import { loadWebhookSigningKey, webhookJwks } from '../../webhooks/signing-keys.js';
import { type Enclave, startEnclaveService } from '../client/enclave-service.js';
import { decryptWithDataKey, encryptWithDataKey } from './envelope-cipher.js';
import {
  countWrappedUnder,
  currentKekVersion,
  KekStillInUseError,
  retireKek,
  rewrapDataKeys,
} from './rewrap-data-keys.js';
import { contextAad, createDataKey, openDataKey } from './stored-data-keys.js';

let dir: string;
let enclave: Enclave;
let database: Database;
const organizationId = uuidv7();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rewrap-'));
  [enclave, database] = await Promise.all([
    startEnclaveService(
      {
        mode: 'embedded',
        dataDir: join(dir, 'enclave'),
        limits: { maxConcurrency: 8, maxRequestBytes: 1 << 20, timeoutMs: 5000, memoryMb: 128 },
        callTimeoutMs: 6000,
      },
      { logger: createLogger({ level: 'silent' }) },
    ),
    openTestDatabase(),
  ]);
  await database.db.insert(organizations).values({ id: organizationId, name: 'Rewrap' });
}, 60_000);
afterAll(async () => {
  await enclave?.close();
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('KEK rotation', () => {
  it('rewraps every stored key online, keeps every object readable, and retires the old KEK only when nothing uses it', async () => {
    const objects: { id: string; sealed: Buffer; plaintext: string; aad: Buffer }[] = [];
    for (let i = 0; i < 120; i++) {
      const context = { organizationId, purpose: 'test-object', objectId: `object-${i}` };
      const { id, plaintextKey } = await createDataKey(database.db, enclave, context);
      const plaintext = `secret number ${i}`;
      objects.push({
        id,
        plaintext,
        aad: contextAad(context),
        sealed: encryptWithDataKey(plaintextKey, Buffer.from(plaintext), contextAad(context)),
      });
    }
    expect(await countWrappedUnder(database.db, 1)).toBe(120);
    expect(await enclave.rotateKek()).toBe(2);
    // Rotation alone changes nothing stored: the old KEK still decrypts, and may not be retired yet.
    const first = objects[0]!;
    expect(
      decryptWithDataKey(
        await openDataKey(database.db, enclave, organizationId, first.id),
        first.sealed,
        first.aad,
      ).toString(),
    ).toBe(first.plaintext);
    await expect(retireKek(database.db, enclave, 1)).rejects.toEqual(new KekStillInUseError(1, 120));
    const batches: number[] = [];
    const done = await rewrapDataKeys(database.db, enclave, {
      batchSize: 50,
      onBatch: (p) => batches.push(p.rewrapped),
    });
    expect(done).toEqual({ rewrapped: 120, skipped: 0, currentVersion: 2 });
    expect(batches).toEqual([50, 100, 120]);
    expect(await countWrappedUnder(database.db, 1)).toBe(0);
    await retireKek(database.db, enclave, 1);
    expect((await enclave.listKeks()).map((k) => [k.version, k.state])).toEqual([
      [1, 'retired'],
      [2, 'current'],
    ]);
    for (const o of objects)
      expect(
        decryptWithDataKey(await openDataKey(database.db, enclave, organizationId, o.id), o.sealed, o.aad).toString(),
      ).toBe(o.plaintext);
    // The current KEK cannot be retired, and a key wrapped under the retired one is gone for good.
    await expect(enclave.retireKek(2)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(rewrapDataKeys(database.db, enclave)).resolves.toEqual({
      rewrapped: 0,
      skipped: 0,
      currentVersion: 2,
    });
  }, 60_000);

  it("rewraps the server's webhook signing key too: after the old KEK is retired it still signs, with the same key", async () => {
    const before = await loadWebhookSigningKey(database.db, enclave);
    const old = await currentKekVersion(enclave);
    await enclave.rotateKek();
    // The signing key is a stored object like the others: the old KEK may not go while it wraps it.
    expect(await countWrappedUnder(database.db, old)).toBeGreaterThan(0);
    await expect(retireKek(database.db, enclave, old)).rejects.toBeInstanceOf(KekStillInUseError);
    const done = await rewrapDataKeys(database.db, enclave);
    expect(done.rewrapped).toBeGreaterThan(0);
    expect(await countWrappedUnder(database.db, old)).toBe(0);
    await retireKek(database.db, enclave, old);
    const after = await loadWebhookSigningKey(database.db, enclave);
    expect(after.kid).toBe(before.kid);
    const { keys } = await webhookJwks(database.db);
    const jwk = keys.find((k) => k.kid === after.kid)!;
    const signature = Buffer.from(after.sign('msg_1.1700000000.{}').slice('v1a,'.length), 'base64');
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
    expect(verify(null, Buffer.from('msg_1.1700000000.{}'), publicKey, signature)).toBe(true);
  });

  it('never lets a wrapped key decrypt for another object or organization', async () => {
    const context = { organizationId, purpose: 'test-object', objectId: 'swap-a' };
    const { id } = await createDataKey(database.db, enclave, context);
    const [row] = await database.db
      .select()
      .from(dataKeys)
      .where((await import('drizzle-orm')).eq(dataKeys.id, id));
    await expect(enclave.decryptDataKey(row!.wrappedKey, { ...context, objectId: 'swap-b' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(enclave.decryptDataKey(row!.wrappedKey, { ...context, purpose: 'document' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const tampered = Buffer.from(row!.wrappedKey);
    tampered[20]! ^= 1;
    await expect(enclave.decryptDataKey(tampered, context)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

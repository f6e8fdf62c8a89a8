// The S3 driver against a real S3-compatible server (s3rver): what goes in comes out, byte ranges across
// read-ahead windows, an upload that fails halfway (multipart, or the source refusing the body) leaves no
// object, and a store that went away is a retryable BlobStoreUnavailableError until it is back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFileStorage, type TestFileStorage } from '../../test/support/test-file-storage.js';
import { BlobStoreUnavailableError } from './blob-store.js';
import { s3FileStore } from './s3-file-store.js';

let storage: TestFileStorage;
let store: ReturnType<typeof s3FileStore>;

beforeAll(async () => {
  storage = await startTestFileStorage(1024, 's3');
  if (storage.config.driver !== 's3') throw new Error('expected the s3 driver');
  store = s3FileStore(storage.config.s3);
}, 30_000);
afterAll(async () => {
  store?.close();
  await storage?.close();
});

const key = () => `${randomUUID()}/${'ab'.repeat(32)}.${randomUUID()}`;
const MiB = 1024 * 1024;

/** `count` chunks of 1 MiB, chunk i filled with bytes (i * 7 + offset) % 251 so every position is checkable. */
function pattern(count: number) {
  const whole = Buffer.alloc(count * MiB);
  for (let i = 0; i < whole.length; i++) whole[i] = (i * 7 + (i >> 20)) % 251;
  return whole;
}
async function* chunks(bytes: Buffer, failAfter?: number, failure = new Error('source refused')) {
  for (let at = 0; at < bytes.length; at += 256 * 1024) {
    if (failAfter !== undefined && at >= failAfter) throw failure;
    yield bytes.subarray(at, at + 256 * 1024);
  }
}

describe('the S3 blob store', () => {
  it('stores a multipart blob and reads any range of it, sequentially and out of order', async () => {
    const bytes = pattern(12);
    const k = key();
    await store.put(k, chunks(bytes));
    const [object] = (await storage.blobs()).filter((b) => b.key === k);
    expect(object!.bytes.equals(bytes)).toBe(true);
    // 64 KiB + 16 reads as the cipher makes them, across the 1 MiB read-ahead windows.
    const step = 64 * 1024 + 16;
    for (let at = 0; at + step <= bytes.length; at += step * 7) {
      expect(Buffer.from(await store.read(k, at, step)).equals(bytes.subarray(at, at + step))).toBe(true);
    }
    expect(Buffer.from(await store.read(k, bytes.length - 5, 5)).equals(bytes.subarray(-5))).toBe(true);
    expect(Buffer.from(await store.read(k, 3, 2 * MiB)).equals(bytes.subarray(3, 3 + 2 * MiB))).toBe(true);
    await expect(store.read(k, bytes.length - 4, 10)).rejects.toThrow(/shorter than expected/);
    await store.delete(k);
    expect((await storage.blobs()).some((b) => b.key === k)).toBe(false);
    await expect(store.read(k, 0, 16)).rejects.toThrow(/missing from the S3 bucket/);
    await store.delete(k); // already gone: not an error
  });

  it('leaves no object when the source fails, small or multipart, and rethrows the source error', async () => {
    const refusal = new Error('digest mismatch');
    for (const [size, failAfter] of [
      [1, 512 * 1024],
      [12, 7 * MiB],
    ] as const) {
      const k = key();
      await expect(store.put(k, chunks(pattern(size), failAfter, refusal))).rejects.toBe(refusal);
      expect((await storage.blobs()).some((b) => b.key === k)).toBe(false);
    }
  });

  it('refuses keys it did not build', async () => {
    await expect(store.read('../etc/passwd', 0, 1)).rejects.toThrow(/invalid blob key/);
  });

  it('answers BlobStoreUnavailableError while the server is down, and works again once it is back', async () => {
    const k = key();
    await store.put(k, chunks(pattern(1)));
    await storage.stop();
    try {
      await expect(store.ping()).rejects.toBeInstanceOf(BlobStoreUnavailableError);
      await expect(store.put(key(), chunks(pattern(1)))).rejects.toBeInstanceOf(BlobStoreUnavailableError);
      await expect(store.read(k, 2 * MiB, 16)).rejects.toBeInstanceOf(BlobStoreUnavailableError);
      await expect(store.ping()).rejects.not.toThrow(/S3RVER/); // the message never carries credentials
    } finally {
      await storage.start();
    }
    await store.ping();
    expect(Buffer.from(await store.read(k, 100, 16)).equals(pattern(1).subarray(100, 116))).toBe(true);
  }, 30_000);
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptRange, encryptChunks, encryptedSize } from './chunked-cipher.js';

const HEADER_OFFSET = 16;
const key = randomBytes(32);
const aad = Buffer.from('["org","file","abc"]');

async function seal(plain: Buffer, chunkBytes: number, pieces = 7) {
  async function* source() {
    for (let i = 0; i < plain.length; i += pieces) yield plain.subarray(i, i + pieces);
  }
  const parts: Buffer[] = [];
  for await (const p of encryptChunks(key, aad, source(), chunkBytes)) parts.push(p);
  return Buffer.concat(parts);
}
const reader = (blob: Buffer) => async (offset: number, length: number) => {
  if (offset + length > blob.length) throw new Error('read past the end');
  return blob.subarray(offset, offset + length);
};
async function open(blob: Buffer, size: number, start?: number, end?: number, k = key, a = aad) {
  const parts: Buffer[] = [];
  for await (const p of decryptRange(k, a, size, reader(blob), start, end)) parts.push(p);
  return Buffer.concat(parts);
}

describe('chunked file encryption', () => {
  it('round-trips whole files of every chunk alignment, and the stored size is predictable', async () => {
    for (const size of [0, 1, 15, 16, 17, 48, 100]) {
      const plain = randomBytes(size);
      const blob = await seal(plain, 16);
      expect(blob.length).toBe(encryptedSize(size, 16));
      if (size >= 8) expect(blob.includes(plain.subarray(0, 8))).toBe(false);
      if (size > 0) expect(await open(blob, size)).toEqual(plain);
      else expect(await open(blob, 0, 0, -1)).toEqual(Buffer.alloc(0));
    }
  });

  it('decrypts any byte range reading only the chunks it covers', async () => {
    const plain = randomBytes(100);
    const blob = await seal(plain, 16);
    for (const [start, end] of [
      [0, 0],
      [15, 16],
      [31, 64],
      [99, 99],
      [3, 98],
    ] as const) {
      expect(await open(blob, 100, start, end)).toEqual(plain.subarray(start, end + 1));
    }
    await expect(open(blob, 100, 50, 100)).rejects.toThrow(RangeError);
  });

  it('refuses a flipped byte, another key, another context, and a truncated blob', async () => {
    const plain = randomBytes(40);
    const blob = await seal(plain, 16);
    const flipped = Buffer.from(blob);
    flipped[HEADER_OFFSET + 20]! ^= 1;
    await expect(open(flipped, 40)).rejects.toThrow();
    await expect(open(blob, 40, 0, 39, randomBytes(32))).rejects.toThrow();
    await expect(open(blob, 40, 0, 39, key, Buffer.from('["org","file","other"]'))).rejects.toThrow();
    // Dropping the final chunk and claiming the file ended there: the new last chunk is not marked final.
    await expect(open(blob.subarray(0, 16 + 2 * 32), 32)).rejects.toThrow();
  });
});

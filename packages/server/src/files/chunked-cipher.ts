// At-rest encryption of file blobs in independently authenticated chunks (AES-256-GCM), so a blob is
// encrypted while it streams in and any byte range can be decrypted without reading the whole file.
// Layout: header (magic `CMSF`, version 1, chunk size u32 BE, 7-byte random nonce prefix) then one
// `ciphertext | tag` per chunk. A chunk's IV is prefix | u32 BE index | final flag, so chunks cannot be
// reordered, and truncating the blob fails (the last chunk must be the one marked final).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const CHUNK_BYTES = 64 * 1024;
export const HEADER_BYTES = 16;
const TAG_BYTES = 16;
const MAGIC = Buffer.from('CMSF');

const iv = (prefix: Uint8Array, index: number, final: boolean) => {
  const out = Buffer.alloc(12);
  out.set(prefix, 0);
  out.writeUInt32BE(index, 7);
  out[11] = final ? 1 : 0;
  return out;
};

/** Encrypts a stream of any chunking into the chunked layout; `aad` names the object (its encryption context). */
export async function* encryptChunks(
  key: Uint8Array,
  aad: Uint8Array,
  source: AsyncIterable<Uint8Array>,
  chunkBytes = CHUNK_BYTES,
): AsyncGenerator<Buffer> {
  const prefix = randomBytes(7);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header[4] = 1;
  header.writeUInt32BE(chunkBytes, 5);
  prefix.copy(header, 9);
  yield header;
  let pending = Buffer.alloc(0);
  let index = 0;
  const seal = (plain: Buffer, final: boolean) => {
    const cipher = createCipheriv('aes-256-gcm', key, iv(prefix, index++, final));
    cipher.setAAD(aad);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };
  for await (const piece of source) {
    pending = pending.length ? Buffer.concat([pending, piece]) : Buffer.from(piece);
    // Keep at least one byte back: the final chunk is only known at the end of the stream.
    while (pending.length > chunkBytes) {
      yield seal(pending.subarray(0, chunkBytes), false);
      pending = pending.subarray(chunkBytes);
    }
  }
  yield seal(pending, true);
}

/** Size of the stored blob for a plaintext of `size` bytes. */
export function encryptedSize(size: number, chunkBytes = CHUNK_BYTES): number {
  const chunks = Math.max(1, Math.ceil(size / chunkBytes));
  return HEADER_BYTES + size + chunks * TAG_BYTES;
}

/** Reads `length` stored bytes at `offset` (a driver's ranged read). */
export type ReadStored = (offset: number, length: number) => Promise<Uint8Array>;

/**
 * Decrypts plaintext bytes `start..end` (inclusive) of a blob whose plaintext is `size` bytes long,
 * one chunk at a time. Throws when any chunk, the key or the AAD differ from what was encrypted.
 */
export async function* decryptRange(
  key: Uint8Array,
  aad: Uint8Array,
  size: number,
  read: ReadStored,
  start = 0,
  end = size - 1,
): AsyncGenerator<Buffer> {
  const header = Buffer.from(await read(0, HEADER_BYTES));
  if (!header.subarray(0, 4).equals(MAGIC) || header[4] !== 1) throw new Error('not a CMS file blob');
  const chunkBytes = header.readUInt32BE(5);
  const prefix = header.subarray(9, 16);
  const last = Math.max(1, Math.ceil(size / chunkBytes)) - 1;
  if (size === 0) {
    // The one (empty, final) chunk still authenticates the blob.
    if (end >= start) throw new RangeError('empty file');
    yield open(key, aad, iv(prefix, 0, true), Buffer.from(await read(HEADER_BYTES, TAG_BYTES)));
    return;
  }
  if (start < 0 || end >= size || start > end) throw new RangeError(`range ${start}-${end} outside 0-${size - 1}`);
  for (let i = Math.floor(start / chunkBytes); i <= Math.floor(end / chunkBytes); i++) {
    const plainLength = i === last ? size - i * chunkBytes : chunkBytes;
    const sealed = Buffer.from(await read(HEADER_BYTES + i * (chunkBytes + TAG_BYTES), plainLength + TAG_BYTES));
    const plain = open(key, aad, iv(prefix, i, i === last), sealed);
    const from = i * chunkBytes;
    yield plain.subarray(Math.max(0, start - from), Math.min(plain.length, end - from + 1));
  }
}

function open(key: Uint8Array, aad: Uint8Array, chunkIv: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, chunkIv);
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
}

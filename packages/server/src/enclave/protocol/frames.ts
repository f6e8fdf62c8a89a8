// The enclave's wire format over its unix socket: each message is a 4-byte big-endian length, then that
// many bytes of CBOR (RFC 8949). Binary values (keys, ciphertexts) travel as byte strings, not base64.
import { decode, encode } from 'cborg';

/** Largest frame either side accepts; a longer length prefix closes the connection. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export function encodeFrame(message: unknown): Buffer {
  const body = encode(message);
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  frame.set(body, 4);
  return frame;
}

export class FrameTooLargeError extends Error {
  override name = 'FrameTooLargeError';
  constructor(
    readonly length: number,
    readonly limit: number,
  ) {
    super(`frame of ${length} bytes exceeds the limit of ${limit}`);
  }
}

/**
 * Splits a byte stream into decoded messages. `push` returns every message completed by the chunk; it
 * throws `FrameTooLargeError` as soon as a length prefix names more than `maxBytes` (before buffering it).
 */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);
  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  push(chunk: Buffer): unknown[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const messages: unknown[] = [];
    for (;;) {
      if (this.buffered.length < 4) break;
      const length = this.buffered.readUInt32BE(0);
      if (length > this.maxBytes) throw new FrameTooLargeError(length, this.maxBytes);
      if (this.buffered.length < 4 + length) break;
      messages.push(decode(this.buffered.subarray(4, 4 + length)));
      this.buffered = this.buffered.subarray(4 + length);
    }
    return messages;
  }
}

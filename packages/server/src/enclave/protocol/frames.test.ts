import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, FrameTooLargeError } from './frames.js';

describe('enclave frames', () => {
  it('reassembles messages split and joined arbitrarily across chunks, bytes intact', () => {
    const messages = [
      { id: 1, op: 'ping', args: {} },
      { id: 2, key: new Uint8Array([0, 255, 7]) },
      { id: 3, s: 'x'.repeat(70_000) },
    ];
    const stream = Buffer.concat(messages.map(encodeFrame));
    for (const size of [1, 3, 4, 5, 1000, stream.length]) {
      const decoder = new FrameDecoder();
      const out: unknown[] = [];
      for (let i = 0; i < stream.length; i += size) out.push(...decoder.push(stream.subarray(i, i + size)));
      expect(out).toEqual(messages);
    }
  });

  it('refuses a length over the limit before buffering the body', () => {
    const decoder = new FrameDecoder(1024);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(4096);
    expect(() => decoder.push(header)).toThrow(new FrameTooLargeError(4096, 1024));
  });
});

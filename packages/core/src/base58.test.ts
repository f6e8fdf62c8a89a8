import { base58 } from '@scure/base';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { base58Decode, base58Encode } from './base58.js';

it('encodes and decodes as @scure/base does, leading zeros included', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const s = base58.encode(bytes);
      expect(base58Encode(bytes)).toBe(s);
      expect(base58Decode(s)).toEqual(bytes);
    }),
  );
  expect(() => base58Decode('0OIl')).toThrow(TypeError);
});

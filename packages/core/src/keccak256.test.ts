import fc from 'fast-check';
import { getAddress, keccak256, toHex } from 'viem';
import { expect, it } from 'vitest';
import { checksumAddress, isHexAddress, keccak256Hex } from './keccak256.js';

it('keccak256Hex agrees with viem on every length around the rate (136 bytes)', () => {
  for (let n = 0; n < 300; n++) {
    const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
    expect(keccak256Hex(data)).toBe(keccak256(data));
  }
  expect(keccak256Hex('')).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
});

it('keccak256Hex agrees with viem on random bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (data) => keccak256Hex(data) === keccak256(data)));
});

it('checksumAddress agrees with viem getAddress', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
      const hex = toHex(bytes);
      return (
        checksumAddress(hex) === getAddress(hex) &&
        checksumAddress(hex.toUpperCase().replace('0X', '0x')) === getAddress(hex)
      );
    }),
  );
  expect(checksumAddress('0xd8da6bf26964af9d7eed9e03e53415d37aa96045')).toBe(
    '0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045',
  );
  expect(() => checksumAddress('0x1234')).toThrow(TypeError);
  expect(isHexAddress('0xd8da6bf26964af9d7eed9e03e53415d37aa96045')).toBe(true);
  expect(isHexAddress('d8da6bf26964af9d7eed9e03e53415d37aa96045')).toBe(false);
});

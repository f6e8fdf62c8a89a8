// The layout of a wrapped data key, which the enclave writes and the server stores without reading it,
// except for the KEK version (rotation needs to know which keys still name an old KEK):
// 0x01 | KEK version (u32 BE) | IV (12) | ciphertext (32) | tag (16) = 65 bytes.
export const WRAPPED_KEY_FORMAT = 0x01;
export const WRAPPED_KEY_HEADER_BYTES = 5;
export const WRAPPED_KEY_BYTES = WRAPPED_KEY_HEADER_BYTES + 12 + 32 + 16;

/** The KEK version a wrapped key names, or `undefined` when the bytes are not a wrapped key. */
export function wrappedKeyKekVersion(wrappedKey: Uint8Array): number | undefined {
  if (!(wrappedKey instanceof Uint8Array) || wrappedKey.length !== WRAPPED_KEY_BYTES) return undefined;
  if (wrappedKey[0] !== WRAPPED_KEY_FORMAT) return undefined;
  return new DataView(wrappedKey.buffer, wrappedKey.byteOffset, wrappedKey.length).getUint32(1);
}

// COSE_Sign1 (RFC 9052 §4.2) as AWS Nitro attestation documents use it: an array of protected header
// (a byte string holding a CBOR map), unprotected header (a map), payload and signature, optionally
// under tag 18. Decoding is strict: trailing bytes, other shapes and other types are refused.
import { decode, encode } from 'cborg';
import { AttestationError } from './attestation-error.js';

export interface CoseSign1 {
  protectedBytes: Uint8Array;
  protectedHeader: Map<number, unknown>;
  payload: Uint8Array;
  signature: Uint8Array;
}

const STRICT = {
  useMaps: true,
  strict: true,
  rejectDuplicateMapKeys: true,
  allowUndefined: false,
  allowIndefinite: false,
} as const;

export function decodeCbor(bytes: Uint8Array, what: string): unknown {
  try {
    return decode(bytes, { ...STRICT, tags: Object.assign([], { 18: (v: unknown) => v }) });
  } catch (error) {
    throw new AttestationError('malformed', `${what} is not valid CBOR: ${(error as Error).message}`);
  }
}

export function decodeCoseSign1(bytes: Uint8Array): CoseSign1 {
  const top = decodeCbor(bytes, 'the document');
  if (!Array.isArray(top) || top.length !== 4)
    throw new AttestationError('malformed', 'the document is not a COSE_Sign1 array of four');
  const [protectedBytes, unprotectedHeader, payload, signature] = top as unknown[];
  if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array) || !(signature instanceof Uint8Array))
    throw new AttestationError('malformed', 'COSE_Sign1 fields have the wrong types');
  if (!(unprotectedHeader instanceof Map))
    throw new AttestationError('malformed', 'the unprotected header is not a map');
  const protectedHeader = decodeCbor(protectedBytes, 'the protected header');
  if (!(protectedHeader instanceof Map)) throw new AttestationError('malformed', 'the protected header is not a map');
  return { protectedBytes, protectedHeader: protectedHeader as Map<number, unknown>, payload, signature };
}

/** The bytes a COSE_Sign1 signature covers: `["Signature1", protected, h'', payload]`. */
export const sigStructure = (protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array =>
  encode(['Signature1', protectedBytes, new Uint8Array(0), payload]);

// Compact JWS (RFC 7515) creation and parsing, enough for DID proofs; verification lives with whoever
// holds the public key (the server verifies with node:crypto).
import { base64urlToBytes, bytesToBase64url, bytesToUtf8, utf8ToBytes } from '../bytes.js';
import type { DidSigner } from '../did/signer.js';

export interface JwsHeader {
  alg: string;
  typ?: string;
  kid?: string;
  [key: string]: unknown;
}

/** Signs `payload` as a compact JWS with `signer`; `header.alg` is the signer's algorithm. */
export function createCompactJws(
  payload: Record<string, unknown>,
  signer: DidSigner,
  header: Omit<JwsHeader, 'alg'> = {},
): Promise<string> {
  return signCompactJws(utf8ToBytes(JSON.stringify(payload)), signer, header);
}

/** Signs exact payload bytes (e.g. canonical JSON) as a compact JWS. */
export async function signCompactJws(
  payload: Uint8Array,
  signer: DidSigner,
  header: Omit<JwsHeader, 'alg'> = {},
): Promise<string> {
  const h = bytesToBase64url(utf8ToBytes(JSON.stringify({ ...header, alg: signer.algorithm })));
  const p = bytesToBase64url(payload);
  const signature = await signer.sign(utf8ToBytes(`${h}.${p}`));
  return `${h}.${p}.${bytesToBase64url(signature)}`;
}

export interface DecodedJws {
  header: JwsHeader;
  payload: Record<string, unknown>;
  /** The bytes the signature covers (`<header>.<payload>`). */
  signingInput: Uint8Array;
  signature: Uint8Array;
}

/** Splits and decodes a compact JWS without verifying it. Throws a `TypeError` when malformed. */
export function decodeCompactJws(jws: string): DecodedJws {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new TypeError('a compact JWS has three parts');
  const [h, p, s] = parts as [string, string, string];
  const parse = (part: string) => {
    const value: unknown = JSON.parse(bytesToUtf8(base64urlToBytes(part)));
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new TypeError('JWS header and payload must be JSON objects');
    return value as Record<string, unknown>;
  };
  const header = parse(h);
  if (typeof header.alg !== 'string') throw new TypeError('JWS header has no alg');
  return {
    header: header as JwsHeader,
    payload: parse(p),
    signingInput: utf8ToBytes(`${h}.${p}`),
    signature: base64urlToBytes(s),
  };
}

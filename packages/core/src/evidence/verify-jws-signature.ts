// Checks a contract signature made as a compact JWS (EdDSA) against the signer's did:key, with
// @noble/ed25519 only (no Node built-ins), so it runs in browsers too.
import * as ed from '@noble/ed25519';
import { base64urlToBytes, bytesToBase64url, bytesToUtf8, utf8ToBytes } from '../bytes.js';
import { canonicalJson } from '../canonical/canonical-json.js';
import { publicKeyFromDidKey } from '../did/did-key.js';
import { SIGNATURE_JWS_TYPE, type SigningPayload } from '../signing/signing-payload.js';

/**
 * Why `jws` is not a valid signature of `payload` by `payload.signer` (empty when it is): header
 * `alg: EdDSA` and `typ: cms-signature+jws`, payload part exactly the canonical JSON of `payload`, and a
 * strict RFC 8032 Ed25519 signature by the did:key's key.
 */
export async function jwsSignatureProblems(jws: string, payload: SigningPayload): Promise<string[]> {
  const parts = jws.split('.');
  if (parts.length !== 3) return ['not a compact JWS (three base64url parts)'];
  const [h, p, s] = parts as [string, string, string];
  // One spelling per byte string: unused low bits of the last character would make two JWS of one signature.
  for (const [name, part] of [
    ['header', h],
    ['payload', p],
    ['signature', s],
  ] as const) {
    if (!isCanonicalBase64url(part)) return [`the JWS ${name} is not canonical base64url`];
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(bytesToUtf8(base64urlToBytes(h))) as Record<string, unknown>;
  } catch {
    return ['the JWS header is not JSON'];
  }
  const problems: string[] = [];
  if (header.alg !== 'EdDSA') problems.push(`JWS alg is ${JSON.stringify(header.alg)}, not EdDSA`);
  if (header.typ !== SIGNATURE_JWS_TYPE)
    problems.push(`JWS typ is ${JSON.stringify(header.typ)}, not ${SIGNATURE_JWS_TYPE}`);
  if (
    header.kid !== undefined &&
    header.kid !== payload.signer &&
    !(typeof header.kid === 'string' && header.kid.startsWith(`${payload.signer}#`))
  ) {
    problems.push(`JWS kid ${JSON.stringify(header.kid)} is not a key of ${payload.signer}`);
  }
  if (bytesToUtf8(base64urlToBytes(p)) !== canonicalJson(payload))
    problems.push('the JWS payload is not the canonical JSON (RFC 8785) of the bundle’s payload');
  let publicKey: Uint8Array;
  try {
    publicKey = publicKeyFromDidKey(payload.signer);
  } catch {
    return [
      ...problems,
      `cannot resolve ${payload.signer.split(':').slice(0, 2).join(':')} offline; JWS signatures are checked for Ed25519 did:key signers`,
    ];
  }
  const signature = base64urlToBytes(s);
  const valid =
    signature.length === 64 &&
    (await ed.verifyAsync(signature, utf8ToBytes(`${h}.${p}`), publicKey, { zip215: false }).catch(() => false));
  if (!valid) problems.push(`the Ed25519 signature does not verify with the key of ${payload.signer}`);
  return problems;
}

function isCanonicalBase64url(part: string): boolean {
  try {
    return /^[A-Za-z0-9_-]+$/.test(part) && bytesToBase64url(base64urlToBytes(part)) === part;
  } catch {
    return false;
  }
}

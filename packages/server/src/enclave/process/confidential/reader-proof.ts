// Checks that a read of confidential terms was asked for by the reader itself: the key the terms are
// re-sealed to must be bound to the contract by a signature of the reader's DID. The server decides
// who may read; this makes sure it cannot swap in a key of its own for a real reader's request.
//   did:key (Ed25519): compact JWS, typ `cms-confidential-read+jws`, alg EdDSA;
//   did:pkh (eip155):  `<RFC 8785 JSON>.<0x EIP-191 signature>`.
import { createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { verifyMessage } from 'viem';
import { EnclaveError } from '../enclave-error.js';

export const READ_PROOF_TYPE = 'cms.confidential-read.v1';
const MAX_AGE_SECONDS = 300;
const SKEW_SECONDS = 60;

export interface ReadRequest {
  contractId: string;
  readerDid: string;
  recipientPublicKey: string;
  proof: string;
}

export async function checkReaderProof(r: ReadRequest, now = Date.now()): Promise<void> {
  const refuse = (why: string): never => {
    throw new EnclaveError('forbidden', `reader proof: ${why}`);
  };
  if (typeof r.proof !== 'string' || r.proof.length > 4096) refuse('not a string of at most 4096 characters');
  let claims: Record<string, unknown>;
  if (r.readerDid.startsWith('did:key:')) {
    const parts = r.proof.split('.');
    if (parts.length !== 3) refuse('not a compact JWS');
    const [h, p, s] = parts as [string, string, string];
    const header = parseJson(Buffer.from(h, 'base64url').toString('utf8')) ?? refuse('bad header');
    if (header.alg !== 'EdDSA' || header.typ !== 'cms-confidential-read+jws' || Object.keys(header).length !== 2)
      refuse('header must be exactly { alg: EdDSA, typ: cms-confidential-read+jws }');
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: ed25519KeyOfDidKey(r.readerDid).toString('base64url') },
      format: 'jwk',
    });
    if (!verify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')))
      refuse('the signature does not verify for the DID');
    claims = parseJson(Buffer.from(p, 'base64url').toString('utf8')) ?? refuse('bad payload');
  } else if (r.readerDid.startsWith('did:pkh:eip155:')) {
    const dot = r.proof.lastIndexOf('.');
    const message = r.proof.slice(0, dot);
    const signature = r.proof.slice(dot + 1);
    const address = r.readerDid.split(':')[4];
    if (dot < 0 || !/^0x[0-9a-fA-F]{130}$/.test(signature) || !address || !/^0x[0-9a-fA-F]{40}$/.test(address))
      refuse('not <json>.<signature> for an Ethereum address');
    if (
      !(await verifyMessage({
        address: address as `0x${string}`,
        message,
        signature: signature as `0x${string}`,
      }).catch(() => false))
    )
      refuse('the signature does not verify for the DID');
    claims = parseJson(message) ?? refuse('bad payload');
    if (canonicalize(claims) !== message) refuse('the signed JSON must be in RFC 8785 form');
  } else {
    return refuse('only did:key and did:pkh readers can prove their key');
  }
  if (claims.type !== READ_PROOF_TYPE) refuse(`type must be ${READ_PROOF_TYPE}`);
  if (claims.did !== r.readerDid) refuse('it names another DID');
  if (claims.contractId !== r.contractId) refuse('it names another contract');
  if (claims.recipientPublicKey !== r.recipientPublicKey) refuse('it names another key');
  const iat = claims.iat;
  const seconds = Math.floor(now / 1000);
  if (typeof iat !== 'number' || iat > seconds + SKEW_SECONDS || iat < seconds - MAX_AGE_SECONDS)
    refuse('iat must be within the last 5 minutes');
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** The Ed25519 key of a `did:key:z6Mk…` (multicodec 0xed01 + 32 bytes, base58btc). */
export function ed25519KeyOfDidKey(did: string): Buffer {
  const encoded = did.slice('did:key:'.length);
  if (!encoded.startsWith('z')) throw new EnclaveError('forbidden', 'reader proof: not a base58btc did:key');
  let value = 0n;
  for (const ch of encoded.slice(1)) {
    const digit = BASE58.indexOf(ch);
    if (digit < 0) throw new EnclaveError('forbidden', 'reader proof: not a base58btc did:key');
    value = value * 58n + BigInt(digit);
  }
  const bytes = Buffer.from(value.toString(16).padStart(68, '0'), 'hex');
  if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01)
    throw new EnclaveError('forbidden', 'reader proof: not an Ed25519 did:key');
  return bytes.subarray(2);
}

// Verifies a party's signature over a signing payload: a compact JWS (EdDSA) checked with the key its
// DID resolves to, or an EIP-712 signature whose recovered address must be the did:pkh's account.
import { verify } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { canonicalJson, SIGNATURE_JWS_TYPE, type SigningPayload, signingTypedData } from '@cms/sdk';
import { type Hex, recoverTypedDataAddress } from 'viem';
import { parseDidPkh } from '../auth/did-pkh.js';
import type { DidResolver } from '../auth/did-resolver.js';
import { AppError } from '../errors/app-error.js';
import { type SignatureSubmission, SigningPayload as SigningPayloadSchema } from '../generated/schemas.js';

const invalid = (why: string) => new AppError('invalid_signature', why);

/** The verified payload of a submission; throws `invalid_signature` when anything does not check out. */
export async function verifyContractSignature(
  submission: SignatureSubmission,
  resolver: DidResolver,
): Promise<SigningPayload> {
  return submission.format === 'jws' ? verifyJws(submission, resolver) : verifyEip712(submission);
}

/** A compact JWS split and decoded once, with Buffer (the SDK's decoder is browser-safe but slower). */
function decodeJws(jws: string) {
  const parts = jws.split('.');
  if (parts.length !== 3) return undefined;
  const bytes = parts.map((part) => Buffer.from(part, 'base64url'));
  // Unused low bits of a base64url character would let two spellings carry one signature; accept one.
  const canonical = bytes.every((b, i) => b.toString('base64url') === parts[i]);
  try {
    const header: unknown = JSON.parse(bytes[0]!.toString('utf8'));
    const payloadText = bytes[1]!.toString('utf8');
    const payload: unknown = JSON.parse(payloadText);
    if (!isObject(header) || !isObject(payload) || typeof header.alg !== 'string') return undefined;
    return {
      header,
      payload,
      payloadText,
      canonical,
      signingInput: Buffer.from(`${parts[0]}.${parts[1]}`),
      signature: bytes[2]!,
    };
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

async function verifyJws(submission: SignatureSubmission, resolver: DidResolver): Promise<SigningPayload> {
  const decoded = decodeJws(submission.signature);
  if (!decoded) throw invalid('The signature is not a compact JWS.');
  if (!decoded.canonical) throw invalid('The JWS is not in canonical base64url.');
  const { header, payload: raw, payloadText, signingInput, signature } = decoded;
  if (header.alg !== 'EdDSA') throw invalid(`Algorithm ${JSON.stringify(header.alg)} is not accepted; use EdDSA.`);
  if (header.typ !== SIGNATURE_JWS_TYPE) throw invalid(`The JWS typ must be ${SIGNATURE_JWS_TYPE}.`);
  const parsed = SigningPayloadSchema.safeParse(raw);
  if (!parsed.success) throw invalid('The signed payload is not a signing payload.');
  const payload = parsed.data as SigningPayload;
  // The signed bytes must be the canonical form, so every verifier reads the same payload.
  if (payloadText !== canonicalJson(payload)) throw invalid('The signed payload is not in canonical form (RFC 8785).');
  if (submission.payload && !isDeepStrictEqual(submission.payload, payload))
    throw invalid('The payload sent differs from the payload signed.');
  const key = await resolver.resolveKey(payload.signer, typeof header.kid === 'string' ? header.kid : undefined);
  if (!verify(null, signingInput, key, signature))
    throw invalid('The signature does not verify with the signer’s DID key.');
  return payload;
}

async function verifyEip712(submission: SignatureSubmission): Promise<SigningPayload> {
  const payload = submission.payload as SigningPayload | undefined;
  if (!payload) throw invalid('An EIP-712 signature needs the payload it signs.');
  if (!payload.signer.startsWith('did:pkh:')) throw invalid('EIP-712 signatures are for did:pkh signers.');
  const { address } = parseDidPkh(payload.signer);
  if (!/^0x[0-9a-fA-F]{130}$/.test(submission.signature)) throw invalid('An EIP-712 signature is 65 bytes of hex.');
  let recovered: string;
  try {
    recovered = await recoverTypedDataAddress({ ...signingTypedData(payload), signature: submission.signature as Hex });
  } catch {
    throw invalid('The EIP-712 signature is malformed.');
  }
  if (recovered.toLowerCase() !== address.toLowerCase())
    throw invalid('The signature was not made by the did:pkh account.');
  return payload;
}

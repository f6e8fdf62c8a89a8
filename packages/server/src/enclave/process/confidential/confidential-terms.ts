// Confidential terms inside the enclave. Seal: open the client's HPKE envelope, compute the salted
// commitment, encrypt the terms for storage under a fresh data key (AAD: the contract's encryption
// context) and attest to the commitment. Open: unwrap, decrypt, and seal again to the reader's key.
// The terms exist in plaintext only in this process's memory.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import type { EncryptionContext } from '../../protocol/operations.js';
import { generateDataKey, unwrapDataKey } from '../data-keys.js';
import { EnclaveError } from '../enclave-error.js';
import type { KekRing } from '../kek-ring.js';
import { checkReaderProof } from './reader-proof.js';
import { hpkeSuite, type SealingKey } from './sealing-key.js';

export const TERMS_TYPE = 'cms.confidential-terms.v1';
export const SEAL_TYPE = 'cms.confidential-seal.v1';
export const READ_INFO = 'cms.confidential-read.v1';
/** Largest confidential terms accepted (their RFC 8785 JSON). */
export const MAX_TERMS_BYTES = 256 * 1024;

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const contextOf = (organizationId: string, contractId: string): EncryptionContext => ({
  organizationId,
  purpose: 'confidential-terms',
  objectId: contractId,
});
const aadOf = (c: EncryptionContext) => utf8(canonicalize(c)!);

export interface SealInput {
  organizationId: string;
  contractId: string;
  envelope: { kid: string; enc: Uint8Array; ciphertext: Uint8Array };
}

export interface SealOutput {
  commitment: `0x${string}`;
  ciphertext: Uint8Array;
  wrappedKey: Uint8Array;
  kekVersion: number;
  /** The user_data the attestation of the seal carries. */
  userData: Uint8Array;
}

export async function sealTerms(keks: KekRing, sealing: SealingKey, input: SealInput): Promise<SealOutput> {
  const { organizationId, contractId, envelope } = input;
  const invalid = (why: string): never => {
    throw new EnclaveError('bad_request', `confidential terms: ${why}`);
  };
  if (envelope?.kid !== sealing.kid)
    invalid(`sealed to key ${String(envelope?.kid).slice(0, 20)}, not this enclave's ${sealing.kid}`);
  let plaintext: Uint8Array;
  try {
    plaintext = await sealing.open(
      envelope.enc,
      envelope.ciphertext,
      utf8(TERMS_TYPE),
      utf8(`${TERMS_TYPE}:${organizationId}`),
    );
  } catch {
    return invalid('the envelope does not open (altered, or sealed for another organization)');
  }
  if (plaintext.length > MAX_TERMS_BYTES) invalid(`more than ${MAX_TERMS_BYTES} bytes`);
  let terms: unknown;
  try {
    terms = JSON.parse(Buffer.from(plaintext).toString('utf8'));
  } catch {
    return invalid('not JSON');
  }
  if (typeof terms !== 'object' || terms === null || Array.isArray(terms)) invalid('not a JSON object');
  const salt = randomBytes(32).toString('base64url');
  const commitment = `0x${createHash('sha256')
    .update(canonicalize({ type: TERMS_TYPE, salt, terms })!)
    .digest('hex')}` as const;
  const context = contextOf(organizationId, contractId);
  const { plaintextKey, wrappedKey, kekVersion } = generateDataKey(keks, context);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', plaintextKey, iv);
  cipher.setAAD(aadOf(context));
  const stored = Buffer.concat([
    iv,
    cipher.update(canonicalize({ salt, terms })!, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  plaintextKey.fill(0);
  return {
    commitment,
    ciphertext: stored,
    wrappedKey,
    kekVersion,
    userData: utf8(canonicalize({ type: SEAL_TYPE, organizationId, contractId, commitment })!),
  };
}

export interface OpenInput {
  organizationId: string;
  contractId: string;
  ciphertext: Uint8Array;
  wrappedKey: Uint8Array;
  readerDid: string;
  recipientPublicKey: string;
  proof: string;
}

export async function openTermsForReader(
  keks: KekRing,
  input: OpenInput,
  accessLog: string | undefined,
): Promise<{ enc: Uint8Array; ciphertext: Uint8Array }> {
  await checkReaderProof(input);
  const context = contextOf(input.organizationId, input.contractId);
  const key = unwrapDataKey(keks, input.wrappedKey, context);
  const bytes = Buffer.from(input.ciphertext);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(aadOf(context));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
  } catch {
    throw new EnclaveError('forbidden', 'the stored terms do not decrypt for this contract');
  } finally {
    key.fill(0);
  }
  const suite = hpkeSuite();
  const recipient = Buffer.from(input.recipientPublicKey, 'base64url');
  if (recipient.length !== 32) throw new EnclaveError('bad_request', 'recipientPublicKey must be 32 bytes');
  const recipientPublicKey = await suite.kem.deserializePublicKey(new Uint8Array(recipient).buffer);
  const sealed = await suite.seal(
    { recipientPublicKey, info: utf8(READ_INFO).buffer as ArrayBuffer },
    new Uint8Array(plaintext).buffer,
    utf8(`${input.contractId}:${input.readerDid}`).buffer as ArrayBuffer,
  );
  plaintext.fill(0);
  // Who read what, in the enclave's own directory: the server's user cannot rewrite it.
  if (accessLog)
    appendFileSync(
      accessLog,
      `${JSON.stringify({ at: new Date().toISOString(), organizationId: input.organizationId, contractId: input.contractId, readerDid: input.readerDid })}\n`,
      { mode: 0o600 },
    );
  return { enc: new Uint8Array(sealed.enc), ciphertext: new Uint8Array(sealed.ct) };
}

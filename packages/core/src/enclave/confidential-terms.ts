// Confidential terms on the client: seal them to the attested enclave key before they leave, read them
// back re-sealed to a key of our own, and check them against the contract's commitment.

import type { EthereumAccount } from '../auth/did-proof.js';
import { base64urlToBytes, bytesToBase64url, bytesToHex, bytesToUtf8, utf8ToBytes } from '../bytes.js';
import { canonicalJson } from '../canonical/canonical-json.js';
import type { CmsClient } from '../client.js';
import { didPkhFromAddress } from '../did/did-pkh.js';
import type { DidSigner } from '../did/signer.js';
import { signCompactJws } from '../jose/compact-jws.js';
import type { AttestedEnclave } from './attest-enclave.js';
import { buffer, hpkeSuite, READ_TYPE, TERMS_TYPE } from './hpke-suite.js';

export interface SealedConfidentialTerms {
  kid: string;
  enc: string;
  ciphertext: string;
}

/** Seals a JSON object to the enclave of `organizationId`'s server (pass it as `confidentialTerms` on create). */
export async function sealConfidentialTerms(
  terms: Record<string, unknown>,
  enclave: Pick<AttestedEnclave, 'publicKey' | 'kid'>,
  organizationId: string,
): Promise<SealedConfidentialTerms> {
  const suite = hpkeSuite();
  const recipientPublicKey = await suite.kem.deserializePublicKey(buffer(enclave.publicKey));
  const { ct, enc } = await suite.seal(
    { recipientPublicKey, info: buffer(utf8ToBytes(TERMS_TYPE)) },
    buffer(utf8ToBytes(canonicalJson(terms))),
    buffer(utf8ToBytes(`${TERMS_TYPE}:${organizationId}`)),
  );
  return {
    kid: enclave.kid,
    enc: bytesToBase64url(new Uint8Array(enc)),
    ciphertext: bytesToBase64url(new Uint8Array(ct)),
  };
}

/** `0x` + SHA-256 of the RFC 8785 form of `{ type, salt, terms }`: what a contract's content hash binds. */
export async function confidentialCommitment(salt: string, terms: unknown): Promise<`0x${string}`> {
  const digest = await globalThis.crypto.subtle.digest(
    'SHA-256',
    utf8ToBytes(canonicalJson({ type: TERMS_TYPE, salt, terms })) as Uint8Array<ArrayBuffer>,
  );
  return `0x${bytesToHex(new Uint8Array(digest))}`;
}

/** A did:key signer, or an Ethereum account (did:pkh on `chainId`, default 1). */
export type ReaderSigner = DidSigner | EthereumAccount | { account: EthereumAccount; chainId: number };

export interface ReadConfidentialTermsResult {
  terms: Record<string, unknown>;
  salt: string;
  commitment: `0x${string}`;
}

/**
 * Reads a contract's confidential terms as the logged-in reader `signer` (the DID of the session): a
 * fresh X25519 key for this read, bound to the contract by the signer's proof; the answer is opened
 * here and checked against `expectedCommitment` (from the contract, which its content hash binds).
 */
export async function readConfidentialTerms(
  cms: CmsClient,
  contractId: string,
  signer: ReaderSigner,
  expectedCommitment: string,
): Promise<ReadConfidentialTermsResult> {
  const suite = hpkeSuite();
  const pair = await suite.kem.generateKeyPair();
  const recipientPublicKey = bytesToBase64url(new Uint8Array(await suite.kem.serializePublicKey(pair.publicKey)));
  const { did, proof } = await readerProof(signer, {
    type: READ_TYPE,
    contractId,
    recipientPublicKey,
    iat: Math.floor(Date.now() / 1000),
  });
  const { data, error, response } = await cms.raw.POST('/v1/contracts/{contractId}/confidential-terms/read', {
    params: { path: { contractId } },
    body: { recipientPublicKey, proof },
  });
  if (!data)
    throw Object.assign(
      new Error(`reading confidential terms answered ${response.status}: ${(error as { code?: string })?.code ?? ''}`),
      { problem: error, status: response.status },
    );
  const opened = await suite.open(
    { recipientKey: pair.privateKey, enc: buffer(base64urlToBytes(data.enc)), info: buffer(utf8ToBytes(READ_TYPE)) },
    buffer(base64urlToBytes(data.ciphertext)),
    buffer(utf8ToBytes(`${contractId}:${did}`)),
  );
  const { salt, terms } = JSON.parse(bytesToUtf8(new Uint8Array(opened))) as {
    salt: string;
    terms: Record<string, unknown>;
  };
  const commitment = await confidentialCommitment(salt, terms);
  if (commitment !== expectedCommitment)
    throw new Error(`the terms hash to ${commitment}, not the contract's commitment ${expectedCommitment}`);
  return { terms, salt, commitment };
}

async function readerProof(
  signer: ReaderSigner,
  claims: Record<string, unknown>,
): Promise<{ did: string; proof: string }> {
  if ('sign' in signer && 'did' in signer) {
    const payload = { ...claims, did: signer.did };
    return {
      did: signer.did,
      proof: await signCompactJws(utf8ToBytes(JSON.stringify(payload)), signer, { typ: 'cms-confidential-read+jws' }),
    };
  }
  const account = 'account' in signer ? signer.account : signer;
  const did = didPkhFromAddress(account.address, 'chainId' in signer ? signer.chainId : 1);
  const message = canonicalJson({ ...claims, did });
  return { did, proof: `${message}.${await account.signMessage({ message })}` };
}

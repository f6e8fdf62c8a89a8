// Asks a server for a fresh attestation of its enclave (with a nonce of our own) and verifies it.

import { bytesToHex } from '../bytes.js';
import type { CmsClient } from '../client.js';
import { type VerifiedAttestation, type VerifyAttestationOptions, verifyAttestation } from './verify-attestation.js';

export interface AttestedEnclave {
  attestation: VerifiedAttestation;
  /** The enclave's HPKE public key (from the verified document) and its id. */
  publicKey: Uint8Array;
  kid: string;
}

export interface AttestEnclaveOptions extends Omit<VerifyAttestationOptions, 'nonce' | 'roots'> {
  /**
   * Roots to trust (PEM or DER). For a software-mode enclave, its root as published by `GET /v1/enclave`
   * and pinned by you; for Nitro hardware, the AWS root (the default).
   */
  roots?: (string | Uint8Array)[];
}

/**
 * @example
 *   const root = (await cms.raw.GET('/v1/enclave')).data!.rootCertificate; // pin this once, out of band
 *   const enclave = await attestEnclave(cms, { roots: [root], expectedPcrs: { 0: pcr0 } });
 */
export async function attestEnclave(cms: CmsClient, options: AttestEnclaveOptions = {}): Promise<AttestedEnclave> {
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const { data, error, response } = await cms.raw.GET('/v1/enclave/attestation', {
    params: { query: { nonce: bytesToHex(nonce) } },
  });
  if (!data)
    throw Object.assign(new Error(`GET /v1/enclave/attestation answered ${response.status}`), { problem: error });
  const document = Uint8Array.from(atob(data.document), (c) => c.charCodeAt(0));
  const attestation = await verifyAttestation(document, { ...options, nonce });
  if (!attestation.publicKey || attestation.publicKey.length !== 32)
    throw new Error('the attested document carries no X25519 public key');
  const digest = new Uint8Array(
    await globalThis.crypto.subtle.digest('SHA-256', attestation.publicKey as Uint8Array<ArrayBuffer>),
  );
  return { attestation, publicKey: attestation.publicKey, kid: bytesToHex(digest).slice(0, 16) };
}

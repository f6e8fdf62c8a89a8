// The server's enclave: what to pin and check (root, PCRs, sealing key), and fresh attestation documents.
// The SDK has no resource helper for these two reads, so they go through its typed `raw` client.
import { type components, errorFromResponse } from '@cms/sdk';
import type { UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { cmsKeys } from './query-keys.js';
import { type CmsQueryOptions, useCmsQuery } from './use-cms-query.js';

/** `GET /v1/enclave`: mode, attestation root (PEM), PCRs, HPKE sealing key, recorder address. */
export type EnclaveInfo = components['schemas']['EnclaveInfo'];
/** `GET /v1/enclave/attestation`, with the `nonce` (hex) it was asked with, which the document must carry. */
export type EnclaveAttestation = components['schemas']['EnclaveAttestation'] & { nonce: string };

/** The body of an answer, or the SDK's typed error for it, like every resource call. */
async function dataOf<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined) return data;
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  throw errorFromResponse(
    response.status,
    error,
    response.headers.get('x-request-id') ?? undefined,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
  );
}

/** The server's enclave: what to pin (root, PCRs) and the key confidential terms are sealed to; 503 `enclave_unavailable` without one. */
export function useEnclave(options?: CmsQueryOptions<EnclaveInfo>): UseQueryResult<EnclaveInfo, Error> {
  return useCmsQuery(
    'useEnclave',
    cmsKeys.enclave.info(),
    (cms, signal) => dataOf(cms.raw.GET('/v1/enclave', { signal })),
    options,
  );
}

/** 32 random bytes, hex. */
const randomNonce = () =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A fresh attestation document carrying `nonce` (hex, 16 to 512 bytes; 32 random bytes chosen once per mount
 * when omitted, answered as `data.nonce`). Unverified: check it with `verifyAttestation` from `@cms/sdk/enclave`
 * (or use `attestEnclave`) before trusting its key.
 */
export function useEnclaveAttestation(
  nonce?: string,
  options?: CmsQueryOptions<EnclaveAttestation>,
): UseQueryResult<EnclaveAttestation, Error> {
  const [ownNonce] = useState(randomNonce);
  const asked = nonce ?? ownNonce;
  return useCmsQuery(
    'useEnclaveAttestation',
    cmsKeys.enclave.attestation(asked),
    async (cms, signal) => ({
      ...(await dataOf(cms.raw.GET('/v1/enclave/attestation', { params: { query: { nonce: asked } }, signal }))),
      nonce: asked,
    }),
    options,
  );
}

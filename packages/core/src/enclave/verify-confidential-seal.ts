// Checks, from an evidence bundle alone, that the contract's confidential terms were sealed by an
// attested enclave: the create event records the enclave's attestation document, whose user_data names
// the organization, the contract and the commitment the content hash binds.

import { bytesToUtf8 } from '../bytes.js';
import { canonicalJson } from '../canonical/canonical-json.js';
import type { EvidenceBundle } from '../evidence/evidence-bundle.js';
import { SEAL_TYPE } from './hpke-suite.js';
import { type VerifiedAttestation, type VerifyAttestationOptions, verifyAttestation } from './verify-attestation.js';

/** How far the document's time may be from the create event's. */
const MAX_SKEW_MS = 5 * 60_000;

export async function verifyConfidentialTermsSeal(
  bundle: EvidenceBundle,
  options: Pick<VerifyAttestationOptions, 'roots' | 'expectedPcrs'>,
): Promise<VerifiedAttestation> {
  const commitment = (bundle.contract.content as { confidentialTerms?: { commitment: string } }).confidentialTerms
    ?.commitment;
  if (!commitment) throw new Error('the contract has no confidential terms');
  const created = bundle.events.find((e) => e.action === 'contract.created');
  const recorded = (created?.data as { confidentialTerms?: { commitment?: string; attestation?: string } } | undefined)
    ?.confidentialTerms;
  if (!created || !recorded?.attestation) throw new Error('the create event records no attestation of the seal');
  if (recorded.commitment !== commitment) throw new Error('the create event’s commitment is not the contract’s');
  const document = Uint8Array.from(atob(recorded.attestation), (c) => c.charCodeAt(0));
  // Certificates are checked at the time the enclave sealed the terms (its leaf certificates are short-lived).
  const at = new Date(created.occurredAt);
  const verified = await verifyAttestation(document, { ...options, now: at, maxAgeMs: MAX_SKEW_MS });
  const expected = canonicalJson({
    type: SEAL_TYPE,
    organizationId: bundle.contract.organizationId,
    contractId: bundle.contract.id,
    commitment,
  });
  if (!verified.userData || bytesToUtf8(verified.userData) !== expected)
    throw new Error('the attestation does not attest to this contract’s commitment');
  return verified;
}

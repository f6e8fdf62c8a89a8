// Server side of confidential terms at creation: the enclave opens the client's envelope and answers
// only ciphertext, a wrapped key, the commitment and an attestation of the seal; this stores them in
// the contract's transaction. The server never has the terms.

import type { Tx } from '../../db/database.js';
import { contractConfidentialTerms } from '../../db/schema/index.js';
import { AppError } from '../../errors/app-error.js';
import type { SealedConfidentialTerms } from '../../generated/schemas.js';
import { EnclaveCallError } from '../client/enclave-connection.js';
import type { Enclave } from '../client/enclave-service.js';
import { storeDataKey } from '../data-keys/stored-data-keys.js';

export interface SealedTerms {
  commitment: `0x${string}`;
  ciphertext: Uint8Array;
  wrappedKey: Uint8Array;
  kekVersion: number;
  attestation: Uint8Array;
}

export async function sealConfidentialTerms(
  enclave: Enclave,
  o: { organizationId: string; contractId: string; envelope: SealedConfidentialTerms },
): Promise<SealedTerms> {
  try {
    return await enclave.call('sealConfidentialTerms', {
      organizationId: o.organizationId,
      contractId: o.contractId,
      envelope: {
        kid: o.envelope.kid,
        enc: Buffer.from(o.envelope.enc, 'base64url'),
        ciphertext: Buffer.from(o.envelope.ciphertext, 'base64url'),
      },
    });
  } catch (error) {
    if (error instanceof EnclaveCallError && error.code === 'bad_request') {
      throw new AppError('invalid_confidential_terms', error.message, {
        errors: [{ path: '/body/confidentialTerms', message: error.message }],
      });
    }
    throw error;
  }
}

/** Stores sealed terms for a contract created in `tx`. */
export async function storeSealedTerms(
  tx: Tx,
  o: { organizationId: string; contractId: string; sealed: SealedTerms; now: Date },
): Promise<void> {
  const dataKeyId = await storeDataKey(
    tx,
    { organizationId: o.organizationId, purpose: 'confidential-terms', objectId: o.contractId },
    o.sealed,
  );
  await tx.insert(contractConfidentialTerms).values({
    contractId: o.contractId,
    organizationId: o.organizationId,
    dataKeyId,
    ciphertext: o.sealed.ciphertext,
    commitment: o.sealed.commitment,
    attestation: o.sealed.attestation,
    sealedAt: o.now,
  });
}

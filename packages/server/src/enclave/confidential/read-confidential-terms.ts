// Reading confidential terms: the server checks that the caller may read the contract (a member with
// `contracts:read` or a party), then the enclave checks the reader's own proof, decrypts, and seals the
// terms to the reader's key. The answer is ciphertext only the reader can open.
import { eq } from 'drizzle-orm';
import type { Principal } from '../../auth/principal.js';
import { findVisibleContract } from '../../contracts/contract-access.js';
import type { Db } from '../../db/database.js';
import { contractConfidentialTerms, dataKeys } from '../../db/schema/index.js';
import { AppError } from '../../errors/app-error.js';
import type { ConfidentialTermsReadRequest, SealedForReader } from '../../generated/schemas.js';
import { EnclaveCallError } from '../client/enclave-connection.js';
import type { Enclave } from '../client/enclave-service.js';

export async function readConfidentialTerms(
  db: Db,
  enclave: Enclave,
  principal: Principal,
  contractId: string,
  input: ConfidentialTermsReadRequest,
): Promise<SealedForReader> {
  const contract = await findVisibleContract(db, principal, contractId);
  const [row] = await db
    .select({
      ciphertext: contractConfidentialTerms.ciphertext,
      commitment: contractConfidentialTerms.commitment,
      wrappedKey: dataKeys.wrappedKey,
    })
    .from(contractConfidentialTerms)
    .innerJoin(dataKeys, eq(dataKeys.id, contractConfidentialTerms.dataKeyId))
    .where(eq(contractConfidentialTerms.contractId, contract.id));
  if (!row) throw new AppError('not_found', `Contract ${contractId} has no confidential terms.`);
  try {
    const sealed = await enclave.call('openConfidentialTerms', {
      organizationId: contract.organizationId,
      contractId: contract.id,
      ciphertext: row.ciphertext,
      wrappedKey: row.wrappedKey,
      readerDid: principal.did,
      recipientPublicKey: input.recipientPublicKey,
      proof: input.proof,
    });
    return {
      enc: Buffer.from(sealed.enc).toString('base64url'),
      ciphertext: Buffer.from(sealed.ciphertext).toString('base64url'),
      commitment: row.commitment,
    };
  } catch (error) {
    if (error instanceof EnclaveCallError && error.message.startsWith('reader proof:'))
      throw new AppError('invalid_reader_proof', error.message);
    if (error instanceof EnclaveCallError && error.code === 'bad_request')
      throw new AppError('validation_failed', error.message, {
        errors: [{ path: '/body/recipientPublicKey', message: error.message }],
      });
    throw error;
  }
}

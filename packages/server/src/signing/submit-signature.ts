// A party's signature, end to end: verify it over the payload, check the payload against the current
// contract, then record signature, party status and transition in one transaction.
import type { SigningPayload } from '@cms/sdk';
import { eq } from 'drizzle-orm';
import type { DidResolver } from '../auth/did-resolver.js';
import type { Principal } from '../auth/principal.js';
import { findVisibleContract } from '../contracts/contract-access.js';
import { recordSignature } from '../contracts/sign-contract.js';
import type { SignatureEvidence } from '../contracts/signature-evidence.js';
import { declineContract } from '../contracts/transition-contract.js';
import type { Db } from '../db/database.js';
import { contractSignatures, userDids } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { Contract, SignatureSubmission } from '../generated/schemas.js';
import { verifyContractSignature } from './verify-contract-signature.js';

/** How far `signedAt` may be from the server's clock. */
const MAX_SKEW_MS = 5 * 60_000;

export async function submitSignature(
  db: Db,
  resolver: DidResolver,
  principal: Principal,
  contractId: string,
  submission: SignatureSubmission,
): Promise<Contract> {
  const contract = await findVisibleContract(db, principal, contractId);
  const payload = await verifyContractSignature(submission, resolver);
  if (payload.contractId !== contract.id)
    throw new AppError('invalid_signature', 'The signature is for another contract.');
  if (Math.abs(Date.parse(payload.signedAt) - Date.now()) > MAX_SKEW_MS)
    throw new AppError('invalid_signature', 'signedAt is more than five minutes from the server’s time.');
  if (payload.intent === 'decline' && !payload.reason)
    throw new AppError('invalid_signature', 'A signed decline carries its reason.');
  // The caller acts for one of its own DIDs; a signature alone does not let anyone submit for another party.
  if (payload.signer !== principal.did && !(await ownsDid(db, principal.userId, payload.signer))) {
    throw new AppError('not_a_party', 'Sign in as the DID that signed.');
  }
  const evidence: SignatureEvidence = async (tx, current, role, recordedAt) => {
    if (payload.version !== current.version)
      throw new AppError('stale_version', `The contract is at version ${current.version}; fetch it and sign again.`);
    if (payload.contentHash !== current.contentHash)
      throw new AppError('invalid_signature', 'The signed content hash is not the contract’s.');
    if (payload.role !== role)
      throw new AppError('invalid_signature', `The signer’s role is ${role}, not ${payload.role}.`);
    await tx.insert(contractSignatures).values({
      contractId: contract.id,
      partyDid: payload.signer,
      organizationId: contract.organizationId,
      intent: payload.intent,
      format: submission.format,
      // Hex case carries no meaning in an EIP-712 signature: store one spelling, so the bundle's bytes are bound.
      signature: submission.format === 'eip712' ? submission.signature.toLowerCase() : submission.signature,
      payload: payload as unknown as Record<string, unknown>,
      recordedAt,
    });
  };
  const signer: Principal = { ...principal, did: payload.signer };
  const auditData = { signature: { format: submission.format, intent: payload.intent, signedAt: payload.signedAt } };
  return payload.intent === 'sign'
    ? recordSignature(db, signer, contractId, { auditData, evidence })
    : declineContract(db, signer, contractId, { reason: payload.reason!, signed: { auditData, evidence } });
}

async function ownsDid(db: Db, userId: string, did: string): Promise<boolean> {
  const [row] = await db.select({ userId: userDids.userId }).from(userDids).where(eq(userDids.did, did));
  return row?.userId === userId;
}

export type { SigningPayload };

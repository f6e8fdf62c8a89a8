// Records a party's signature under the signing-order rules. Verifying the signature itself is the
// caller's job (the signing service checks it against the party's DID before calling this).
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { contractParties } from '../db/schema/index.js';
import type { Contract } from '../generated/schemas.js';
import { notifyParties, partyWhere } from './contract-parties.js';
import { assertAllowed, partiesToNotify, signingRefusal, statusAfterSignature } from './lifecycle.js';
import { mutateContract } from './mutate-contract.js';
import type { SignatureEvidence } from './signature-evidence.js';

export interface SignatureRecord {
  /** Audit data describing the verified signature (format, reference). */
  auditData?: Record<string, unknown>;
  ifMatch?: string;
  /** Checks the signature against the locked contract and stores it, inside the transaction. */
  evidence?: SignatureEvidence;
}

export function recordSignature(
  db: Db,
  signer: Principal,
  contractId: string,
  record: SignatureRecord = {},
): Promise<Contract> {
  return mutateContract(db, signer, contractId, { audience: 'party', ifMatch: record.ifMatch }, async (ctx) => {
    const { tx, contract, parties, now } = ctx;
    const refusal = signingRefusal(parties, signer.did);
    if (refusal?.code === 'not_a_party') throw refusal;
    assertAllowed(contract.status, 'sign');
    if (refusal) throw refusal;
    const party = parties.find((p) => p.did === signer.did)!;
    await record.evidence?.(tx, contract, party.role, now);
    await tx
      .update(contractParties)
      .set({ status: 'signed', completedAt: now })
      .where(partyWhere(contract.id, party.position));
    party.status = 'signed';
    await notifyParties(ctx, partiesToNotify(parties, { sending: false }));
    return {
      action: 'sign',
      toStatus: statusAfterSignature(parties),
      partyDid: signer.did,
      auditData: record.auditData,
    };
  });
}

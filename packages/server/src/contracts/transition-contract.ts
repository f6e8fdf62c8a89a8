// Status changes requested through the API: send, void, decline, terminate.
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { contractParties } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { Contract } from '../generated/schemas.js';
import { notifyParties, partyWhere } from './contract-parties.js';
import { actsOnContract, assertAllowed, partiesToNotify } from './lifecycle.js';
import { mutateContract } from './mutate-contract.js';
import type { SignatureEvidence } from './signature-evidence.js';

/** `ifMatch`: the `If-Match` the caller sent; the change fails with 412 when the contract moved on since. */
export interface ChangeOptions {
  ifMatch?: string;
}

export interface ReasonedChange extends ChangeOptions {
  reason: string;
}

export function sendContract(
  db: Db,
  principal: Principal,
  contractId: string,
  { ifMatch }: ChangeOptions = {},
): Promise<Contract> {
  return mutateContract(db, principal, contractId, { audience: 'organization', ifMatch }, async (ctx) => {
    assertAllowed(ctx.contract.status, 'send');
    if (!ctx.parties.some((p) => p.role === 'signer'))
      throw new AppError('missing_signer', 'Add at least one party with role signer before sending.');
    await notifyParties(ctx, partiesToNotify(ctx.parties, { sending: true }));
    return { action: 'send', toStatus: 'pending' };
  });
}

export function voidContract(
  db: Db,
  principal: Principal,
  contractId: string,
  { reason, ifMatch }: ReasonedChange,
): Promise<Contract> {
  return mutateContract(db, principal, contractId, { audience: 'organization', ifMatch }, async ({ contract }) => {
    assertAllowed(contract.status, 'void');
    return { action: 'void', toStatus: 'voided', reason };
  });
}

export function terminateContract(
  db: Db,
  principal: Principal,
  contractId: string,
  { reason, ifMatch }: ReasonedChange,
): Promise<Contract> {
  return mutateContract(db, principal, contractId, { audience: 'organization', ifMatch }, async ({ contract }) => {
    assertAllowed(contract.status, 'terminate');
    return { action: 'terminate', toStatus: 'terminated', reason };
  });
}

export interface DeclineOptions extends ReasonedChange {
  /** A signed decline: the verified signature's audit data and the evidence to store with it. */
  signed?: { auditData: Record<string, unknown>; evidence: SignatureEvidence };
}

/** A signer or approver refuses; the contract ends as declined. */
export function declineContract(
  db: Db,
  principal: Principal,
  contractId: string,
  { reason, ifMatch, signed }: DeclineOptions,
): Promise<Contract> {
  return mutateContract(
    db,
    principal,
    contractId,
    { audience: 'party', ifMatch },
    async ({ tx, contract, parties, now }) => {
      const party = parties.find((p) => p.did === principal.did && actsOnContract(p));
      if (!party) throw new AppError('not_a_party', 'Only the contract’s signers and approvers can decline it.');
      assertAllowed(contract.status, 'decline');
      if (party.status === 'signed' || party.status === 'declined')
        throw new AppError('already_signed', 'This party has already signed.');
      await signed?.evidence(tx, contract, party.role, now);
      await tx
        .update(contractParties)
        .set({ status: 'declined', completedAt: now, declineReason: reason })
        .where(partyWhere(contract.id, party.position));
      return { action: 'decline', toStatus: 'declined', partyDid: principal.did, reason, auditData: signed?.auditData };
    },
  );
}

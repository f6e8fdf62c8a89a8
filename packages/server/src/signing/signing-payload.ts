import type { SigningPayload } from '@cms/sdk';
import type { Principal } from '../auth/principal.js';
import { findVisibleContract } from '../contracts/contract-access.js';
import { loadParties } from '../contracts/contract-parties.js';
import { actsOnContract } from '../contracts/lifecycle.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

/** The payload the caller would sign as a party, built from the current contract. */
export async function signingPayloadFor(
  db: Db,
  principal: Principal,
  contractId: string,
  intent: 'sign' | 'decline',
): Promise<SigningPayload> {
  const row = await findVisibleContract(db, principal, contractId);
  const party = (await loadParties(db, row.id)).find((p) => p.did === principal.did && actsOnContract(p));
  if (!party) throw new AppError('not_a_party', 'Only the contract’s signers and approvers sign it.');
  return {
    type: 'cms.signature.v1',
    contractId: row.id,
    version: row.version,
    contentHash: row.contentHash,
    signer: principal.did,
    role: party.role,
    intent,
    signedAt: new Date().toISOString(),
  };
}

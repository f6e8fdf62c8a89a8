// Validates and hashes a contract's content on create and update.
import { type ContractTemplateBinding, computeContentHash } from '@cms/sdk';
import type { DocumentRef } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { PartyInput } from '../generated/schemas.js';

export interface ContentInput {
  title: string;
  description: string | null;
  terms: Record<string, unknown>;
  parties: PartyInput[];
  documents: DocumentRef[];
  expiresAt: Date | null;
  /** Only for a contract created from a template. */
  template?: ContractTemplateBinding;
  /** Set when the contract has confidential terms: their commitment (computed in the enclave). */
  confidentialCommitment?: string | null;
}

/** Rejects a party list naming one DID twice (a DID has one role per contract). */
export function assertDistinctParties(parties: readonly { did: string }[], path: string): void {
  const seen = new Map<string, number>();
  parties.forEach((p, i) => {
    const first = seen.get(p.did);
    if (first !== undefined) {
      throw new AppError('validation_failed', `Party ${p.did} is listed twice.`, {
        errors: [{ path: `${path}/${i}/did`, message: `same DID as ${path}/${first}` }],
      });
    }
    seen.set(p.did, i);
  });
}

export function hashContent(c: ContentInput): Promise<`0x${string}`> {
  return computeContentHash({
    title: c.title,
    description: c.description,
    terms: c.terms,
    parties: c.parties.map((p) => ({ did: p.did, role: p.role, name: p.name ?? null, signingOrder: p.signingOrder })),
    documents: c.documents,
    expiresAt: c.expiresAt?.toISOString() ?? null,
    ...(c.template && { template: c.template }),
    ...(c.confidentialCommitment && { confidentialTerms: { commitment: c.confidentialCommitment } }),
  });
}

export const partyRows = (contractId: string, organizationId: string, parties: PartyInput[]) =>
  parties.map((p, position) => ({
    contractId,
    position,
    organizationId,
    did: p.did,
    role: p.role,
    name: p.name ?? null,
    signingOrder: p.signingOrder,
  }));

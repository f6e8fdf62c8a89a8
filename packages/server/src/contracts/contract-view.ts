// Maps stored rows to the API's `Contract` shape.
import type { contractParties, contracts } from '../db/schema/index.js';
import type { Contract } from '../generated/schemas.js';

type ContractRow = typeof contracts.$inferSelect;
type PartyRow = typeof contractParties.$inferSelect;

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A change just queued its event for anchoring: that is where every freshly changed contract stands. */
export const PENDING_LEDGER: Contract['ledger'] = {
  status: 'pending',
  batchId: null,
  transactionHash: null,
  blockNumber: null,
};

export function contractView(
  row: ContractRow,
  parties: PartyRow[],
  ledger: Contract['ledger'] = PENDING_LEDGER,
): Contract {
  return {
    id: row.id,
    organizationId: row.organizationId,
    title: row.title,
    description: row.description,
    terms: row.terms,
    status: row.status,
    version: row.version,
    revision: row.revision,
    contentHash: row.contentHash,
    parties: [...parties].sort((a, b) => a.position - b.position).map(partyView),
    documents: row.documents,
    ...(row.confidentialCommitment && { confidentialTerms: { commitment: row.confidentialCommitment } }),
    supersedes: row.supersedes,
    ledger,
    externalId: row.externalId,
    metadata: row.metadata,
    expiresAt: iso(row.expiresAt),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(row.template && { template: row.template }),
    ...(row.body !== null && { body: row.body }),
  };
}

function partyView(p: PartyRow): Contract['parties'][number] {
  return {
    did: p.did,
    role: p.role,
    name: p.name,
    signingOrder: p.signingOrder,
    status: p.status,
    sentAt: iso(p.sentAt),
    viewedAt: iso(p.viewedAt),
    completedAt: iso(p.completedAt),
    declineReason: p.declineReason,
  };
}

// Maps stored rows to the API's `Contract` shape.
import type { Contract } from '../generated/schemas.js';
import type { contractParties, contracts } from '../db/schema/index.js';

type ContractRow = typeof contracts.$inferSelect;
type PartyRow = typeof contractParties.$inferSelect;

export function contractView(row: ContractRow, parties: PartyRow[]): Contract {
  return {
    id: row.id,
    organizationId: row.organizationId,
    title: row.title,
    description: row.description,
    terms: row.terms,
    status: row.status,
    version: row.version,
    contentHash: row.contentHash,
    parties: [...parties]
      .sort((a, b) => a.position - b.position)
      .map((p) => ({ did: p.did, role: p.role, name: p.name, signingOrder: p.signingOrder })),
    externalId: row.externalId,
    metadata: row.metadata,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

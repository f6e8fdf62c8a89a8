import { computeContentHash } from '@cms/sdk';
import { recordEvent } from '../audit/record-event.js';
import type { Db } from '../db/database.js';
import { contractParties, contracts } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import type { Principal } from '../auth/principal.js';
import type { Contract, ContractCreate } from '../generated/schemas.js';
import { contractView } from './contract-view.js';

/** Creates a draft contract and its parties in one transaction. */
export async function createContract(db: Db, principal: Principal, input: ContractCreate): Promise<Contract> {
  const id = uuidv7();
  const now = new Date();
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  const parties = (input.parties ?? []).map((p, position) => ({
    contractId: id,
    position,
    organizationId: principal.organizationId,
    did: p.did,
    role: p.role,
    name: p.name ?? null,
    signingOrder: p.signingOrder,
  }));
  const contentHash = await computeContentHash({
    title: input.title,
    description: input.description ?? null,
    terms: input.terms ?? {},
    parties,
    expiresAt: expiresAt?.toISOString() ?? null,
  });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(contracts)
      .values({
        id,
        organizationId: principal.organizationId,
        title: input.title,
        description: input.description ?? null,
        terms: input.terms ?? {},
        status: 'draft',
        version: 1,
        contentHash,
        externalId: input.externalId ?? null,
        metadata: input.metadata ?? {},
        expiresAt,
        createdBy: principal.did,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const partyRows = parties.length ? await tx.insert(contractParties).values(parties).returning() : [];
    await recordEvent(tx, {
      organizationId: principal.organizationId,
      actorDid: principal.did,
      action: 'contract.created',
      resource: { type: 'contract', id },
      data: { version: 1, status: 'draft', contentHash },
      contractId: id,
      occurredAt: now,
    });
    return contractView(row!, partyRows);
  });
}

import { and, eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { contractParties, contracts } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import { AppError } from '../errors/app-error.js';
import type { Contract, ContractCreate } from '../generated/schemas.js';
import { assertDistinctParties, hashContent, partyRows } from './contract-content.js';
import { contractView } from './contract-view.js';
import { announceEvents } from '../events/announce-events.js';
import type { EventNotice } from '../events/event-bus.js';
import { appendHistory } from './mutate-contract.js';

/** Creates a draft with its parties, history, audit event and outbox row in one transaction. */
export async function createContract(db: Db, principal: Principal, input: ContractCreate): Promise<Contract> {
  const now = new Date();
  const id = uuidv7(now.getTime());
  const parties = input.parties ?? [];
  assertDistinctParties(parties, '/body/parties');
  const content = {
    title: input.title,
    description: input.description ?? null,
    terms: input.terms ?? {},
    parties,
    documents: input.documents ?? [],
    expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
  };
  const contentHash = await hashContent(content);
  let notice: EventNotice | undefined;
  const created = await db.transaction(async (tx) => {
    if (input.supersedes) {
      const [target] = await tx
        .select({ status: contracts.status })
        .from(contracts)
        .where(and(eq(contracts.id, input.supersedes), eq(contracts.organizationId, principal.organizationId)));
      if (!target || target.status === 'draft') {
        throw new AppError('invalid_reference', 'supersedes must name a contract of your organization that has been sent.', {
          errors: [{ path: '/body/supersedes', message: target ? 'a draft cannot be amended; edit it instead' : 'no such contract' }],
        });
      }
    }
    const [row] = await tx
      .insert(contracts)
      .values({
        id,
        organizationId: principal.organizationId,
        ...content,
        status: 'draft',
        version: 1,
        revision: 1,
        contentHash,
        externalId: input.externalId ?? null,
        metadata: input.metadata ?? {},
        supersedes: input.supersedes ?? null,
        createdBy: principal.did,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const rows = parties.length ? await tx.insert(contractParties).values(partyRows(id, principal.organizationId, parties)).returning() : [];
    notice = await appendHistory(tx, row!, { action: 'create' }, null, principal.did, now);
    return contractView(row!, rows);
  });
  announceEvents(db, notice);
  return created;
}

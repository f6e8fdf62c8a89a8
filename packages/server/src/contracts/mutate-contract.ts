// The one path every contract change takes: lock the row, check access and If-Match, apply the
// change, then write the new revision, a history row, an audit event, an outbox row and its live events
// (contract_events) in the same transaction. Any error rolls all of it back; the events are announced
// to the streams once it has committed.
import { eq, max } from 'drizzle-orm';
import { recordEvent } from '../audit/record-event.js';
import type { Principal } from '../auth/principal.js';
import type { Db, Tx } from '../db/database.js';
import { type ContractStatus, contracts, contractTransitions, type TRANSITION_ACTIONS } from '../db/schema/index.js';
import { announceEvents } from '../events/announce-events.js';
import { eventTypesOf } from '../events/contract-event-types.js';
import type { EventNotice } from '../events/event-bus.js';
import { recordContractEvents } from '../events/record-contract-events.js';
import type { Contract } from '../generated/schemas.js';
import { type Audience, byIdVisibleTo, checkIfMatch, notFound } from './contract-access.js';
import { loadParties, type PartyRow } from './contract-parties.js';
import { contractView } from './contract-view.js';

type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

export type ContractRow = typeof contracts.$inferSelect;

/** What a history row records besides the contract's new state. */
export interface HistoryEntry {
  action: TransitionAction;
  partyDid?: string;
  reason?: string;
  /** Extra audit data (e.g. a signature reference). */
  auditData?: Record<string, unknown>;
}

export interface ContractChange extends HistoryEntry {
  action: Exclude<TransitionAction, 'create'>;
  toStatus: ContractStatus;
  /** Column changes besides status/revision/updatedAt. */
  patch?: Partial<
    Pick<
      ContractRow,
      | 'title'
      | 'description'
      | 'terms'
      | 'documents'
      | 'externalId'
      | 'metadata'
      | 'expiresAt'
      | 'version'
      | 'contentHash'
    >
  >;
}

/**
 * A party's first read of a contract that reached it: a new revision and an audit event (not anchored)
 * with a live event, but no history row and no status change.
 */
export interface ViewChange {
  action: 'view';
  partyDid: string;
}

export interface MutationContext {
  tx: Tx;
  contract: ContractRow;
  parties: PartyRow[];
  now: Date;
}

export interface MutateOptions {
  audience: Audience;
  ifMatch?: string;
  /** For the scheduler: act on any organization's contract. */
  system?: boolean;
}

export async function mutateContract(
  db: Db,
  actor: Principal,
  contractId: string,
  options: MutateOptions,
  apply: (ctx: MutationContext) => Promise<ContractChange | ViewChange | null>,
): Promise<Contract> {
  let notice: EventNotice | undefined;
  const result = await db.transaction(async (tx) => {
    const where = options.system ? eq(contracts.id, contractId) : byIdVisibleTo(contractId, actor, options.audience);
    const [contract] = await tx.select().from(contracts).where(where).for('update');
    if (!contract) throw notFound(contractId);
    checkIfMatch(options.ifMatch, contract.revision);
    const parties = await loadParties(tx, contract.id);
    const now = new Date();
    const change = await apply({ tx, contract, parties, now });
    // `null`: nothing to change after all (e.g. a concurrent read already marked the party viewed).
    if (change === null) return contractView(contract, parties);
    const revision = contract.revision + 1;
    const columns = change.action === 'view' ? {} : { ...change.patch, status: change.toStatus };
    const [updated] = await tx
      .update(contracts)
      .set({ ...columns, revision, updatedAt: now })
      .where(eq(contracts.id, contract.id))
      .returning();
    notice =
      change.action === 'view'
        ? await appendView(tx, updated!, change.partyDid, actor.did, now)
        : await appendHistory(tx, updated!, change, contract.status, actor.did, now);
    return contractView(updated!, await loadParties(tx, contract.id));
  });
  announceEvents(db, notice);
  return result;
}

/**
 * A history row plus its audit event (and outbox row) and live events, for the change that produced
 * `contract`. Returns the notice to announce after commit.
 */
export async function appendHistory(
  tx: Tx,
  contract: ContractRow,
  change: HistoryEntry,
  fromStatus: ContractStatus | null,
  actorDid: string,
  now: Date,
): Promise<EventNotice | undefined> {
  const [{ last } = { last: 0 }] = await tx
    .select({ last: max(contractTransitions.seq) })
    .from(contractTransitions)
    .where(eq(contractTransitions.contractId, contract.id));
  const event = await recordEvent(tx, {
    organizationId: contract.organizationId,
    actorDid,
    action: `contract.${change.action === 'create' ? 'created' : change.action}`,
    resource: { type: 'contract', id: contract.id },
    data: {
      fromStatus,
      toStatus: contract.status,
      revision: contract.revision,
      version: contract.version,
      contentHash: contract.contentHash,
      ...(change.partyDid !== undefined && { partyDid: change.partyDid }),
      ...(change.reason !== undefined && { reason: change.reason }),
      ...change.auditData,
    },
    contractId: contract.id,
    occurredAt: now,
  });
  await tx.insert(contractTransitions).values({
    contractId: contract.id,
    seq: (last ?? 0) + 1,
    organizationId: contract.organizationId,
    action: change.action,
    fromStatus,
    toStatus: contract.status,
    actorDid,
    partyDid: change.partyDid ?? null,
    reason: change.reason ?? null,
    revision: contract.revision,
    version: contract.version,
    auditEventId: event.id,
    occurredAt: now,
  });
  const payload = {
    status: contract.status,
    revision: contract.revision,
    actorDid,
    ...(change.partyDid !== undefined && { partyDid: change.partyDid }),
  };
  return recordContractEvents(
    tx,
    eventTypesOf(change.action, contract.status).map((type) => ({
      organizationId: contract.organizationId,
      contractId: contract.id,
      type,
      payload,
      occurredAt: now,
    })),
  );
}

/** The audit event (not anchored: a read changes nothing a verifier relies on) and live event of a view. */
async function appendView(
  tx: Tx,
  contract: ContractRow,
  partyDid: string,
  actorDid: string,
  now: Date,
): Promise<EventNotice | undefined> {
  await recordEvent(tx, {
    organizationId: contract.organizationId,
    actorDid,
    action: 'contract.viewed',
    resource: { type: 'contract', id: contract.id },
    data: { partyDid, revision: contract.revision },
    anchor: false,
    occurredAt: now,
  });
  return recordContractEvents(tx, [
    {
      organizationId: contract.organizationId,
      contractId: contract.id,
      type: 'contract.viewed',
      payload: { status: contract.status, revision: contract.revision, actorDid, partyDid },
      occurredAt: now,
    },
  ]);
}

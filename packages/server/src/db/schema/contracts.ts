// Contracts, their parties and their state-transition history. Every row carries `organization_id`,
// the tenant boundary: every query on these tables filters by it (or, for parties, by their DID).

import type { ContractTemplateBinding } from '@cms/sdk';
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, timestamptz } from './columns.js';
import { organizations } from './users.js';

export const CONTRACT_STATUSES = [
  'draft',
  'pending',
  'partially_signed',
  'executed',
  'declined',
  'voided',
  'expired',
  'terminated',
] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export const PARTY_ROLES = ['signer', 'approver', 'viewer', 'cc'] as const;
export const PARTY_STATUSES = ['waiting', 'sent', 'viewed', 'signed', 'declined'] as const;

export interface DocumentRef {
  name: string;
  sha256: string;
  mediaType?: string;
  size?: number;
}

export const contracts = pgTable(
  'contracts',
  {
    /** UUIDv7: time-ordered, so keyset pagination by id is creation order. */
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    title: text('title').notNull(),
    description: text('description'),
    terms: jsonb('terms').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    documents: jsonb('documents').$type<DocumentRef[]>().notNull().default(sql`'[]'::jsonb`),
    status: text('status', { enum: CONTRACT_STATUSES }).notNull(),
    /** Content version: changes only while a draft is edited. */
    version: integer('version').notNull().default(1),
    /** Every change increments it; the ETag. */
    revision: integer('revision').notNull().default(1),
    contentHash: text('content_hash').notNull(),
    /** The confidential terms' salted commitment (their ciphertext is in contract_confidential_terms); part of the content hash. */
    confidentialCommitment: text('confidential_commitment'),
    externalId: text('external_id'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    expiresAt: timestamptz('expires_at'),
    supersedes: uuid('supersedes').references((): AnyPgColumn => contracts.id),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    /** Created from a template: the version, values and roles its content binds (templates/). */
    template: jsonb('template').$type<ContractTemplateBinding>(),
    /** The rendered Markdown of a contract created from a template; `template.bodySha256` binds it. */
    body: text('body'),
  },
  (t) => [
    index('contracts_org_id_idx').on(t.organizationId, t.id.desc()),
    index('contracts_org_status_id_idx').on(t.organizationId, t.status, t.id.desc()),
    index('contracts_org_external_id_idx').on(t.organizationId, t.externalId),
    // Title search (`q`): trigram GIN index; pg_trgm is created by migration 0003.
    index('contracts_title_trgm_idx').using('gin', sql`${t.title} gin_trgm_ops`),
    // The expiry scheduler's scan: only executed contracts with an expiry.
    index('contracts_expiring_idx').on(t.expiresAt).where(sql`status = 'executed' and expires_at is not null`),
    // Which contracts name a file (`documents @> …`): the cleanup of unreferenced files (migration 0020).
    index('contracts_documents_idx').using('gin', sql`${t.documents} jsonb_path_ops`),
  ],
);

export const contractParties = pgTable(
  'contract_parties',
  {
    contractId: uuid('contract_id')
      .notNull()
      .references(() => contracts.id, { onDelete: 'cascade' }),
    /** Order in which the parties were listed; part of the contract's content. */
    position: integer('position').notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    did: text('did').notNull(),
    role: text('role', { enum: PARTY_ROLES }).notNull(),
    name: text('name'),
    signingOrder: integer('signing_order').notNull().default(1),
    status: text('status', { enum: PARTY_STATUSES }).notNull().default('waiting'),
    sentAt: timestamptz('sent_at'),
    viewedAt: timestamptz('viewed_at'),
    completedAt: timestamptz('completed_at'),
    declineReason: text('decline_reason'),
  },
  (t) => [
    primaryKey({ columns: [t.contractId, t.position] }),
    // Party filter and party access: contracts of a DID, newest first.
    index('contract_parties_did_idx').on(t.did, t.contractId.desc()),
  ],
);

export const TRANSITION_ACTIONS = [
  'create',
  'update',
  'send',
  'sign',
  'decline',
  'void',
  'terminate',
  'expire',
] as const;

/** Every change of a contract, in order. Written in the transaction of the change. */
export const contractTransitions = pgTable(
  'contract_transitions',
  {
    contractId: uuid('contract_id')
      .notNull()
      .references(() => contracts.id, { onDelete: 'cascade' }),
    /** Position in the contract's history, from 1 (= the revision it produced). */
    seq: integer('seq').notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    action: text('action', { enum: TRANSITION_ACTIONS }).notNull(),
    fromStatus: text('from_status', { enum: CONTRACT_STATUSES }),
    toStatus: text('to_status', { enum: CONTRACT_STATUSES }).notNull(),
    actorDid: text('actor_did').notNull(),
    partyDid: text('party_did'),
    reason: text('reason'),
    /** The contract's revision after this change. */
    revision: integer('revision').notNull(),
    version: integer('version').notNull(),
    auditEventId: uuid('audit_event_id'),
    occurredAt: timestamptz('occurred_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.contractId, t.seq] })],
);

/** Signatures (and signed declines) exactly as the parties made them; part of the evidence bundle. */
export const contractSignatures = pgTable(
  'contract_signatures',
  {
    contractId: uuid('contract_id')
      .notNull()
      .references(() => contracts.id, { onDelete: 'cascade' }),
    partyDid: text('party_did').notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    intent: text('intent', { enum: ['sign', 'decline'] }).notNull(),
    format: text('format', { enum: ['jws', 'eip712'] }).notNull(),
    signature: text('signature').notNull(),
    /** The signed payload (for JWS also inside the signature). */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    recordedAt: timestamptz('recorded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.contractId, t.partyDid] })],
);

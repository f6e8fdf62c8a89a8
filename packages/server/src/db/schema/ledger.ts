// The ledger: where the anchoring contract lives on each chain, the Merkle batches anchored there, and
// each anchored event's leaf and proof. Batches span organizations (a root reveals nothing about its
// leaves); leaves carry `organization_id` so every read of a proof is tenant-scoped.
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, timestamptz } from './columns.js';

/** Deployments of ContractLedger this server made (embedded chain) or was configured with. */
export const ledgerDeployments = pgTable(
  'ledger_deployments',
  {
    chainId: bigint('chain_id', { mode: 'number' }).notNull(),
    address: text('address').notNull(),
    transactionHash: text('transaction_hash'),
    blockNumber: bigint('block_number', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.address] })],
);

export const LEDGER_BATCH_STATUSES = ['pending', 'submitted', 'confirmed', 'failed'] as const;
export type LedgerBatchStatus = (typeof LEDGER_BATCH_STATUSES)[number];

/** One Merkle tree of events, anchored by one `anchor(root, leafCount)` transaction. */
export const ledgerBatches = pgTable(
  'ledger_batches',
  {
    /** UUIDv7. */
    id: uuid('id').primaryKey(),
    chainId: bigint('chain_id', { mode: 'number' }),
    ledgerAddress: text('ledger_address').notNull(),
    root: text('root').notNull(),
    leafCount: integer('leaf_count').notNull(),
    /** pending: built, not sent; submitted: sent, not deep enough; confirmed; failed: gave up (see last_error). */
    status: text('status', { enum: LEDGER_BATCH_STATUSES }).notNull(),
    transactionHash: text('transaction_hash'),
    /** The account that sent the current transaction and its nonce (for drop/replacement detection). */
    sender: text('sender'),
    nonce: integer('nonce'),
    blockNumber: bigint('block_number', { mode: 'number' }),
    blockHash: text('block_hash'),
    /** Block time recorded by the contract for the root. */
    anchoredAt: timestamptz('anchored_at'),
    /** Transactions sent for this batch (re-anchoring after a drop or re-org counts again). */
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** The worker that is sending or confirming this batch, until `lease_until`. */
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamptz('lease_until'),
    createdAt: createdAt(),
    submittedAt: timestamptz('submitted_at'),
    confirmedAt: timestamptz('confirmed_at'),
    /** When its anchor last vanished from the chain (state lost, deep re-org, ledger gone); null if never. */
    lostAt: timestamptz('lost_at'),
  },
  (t) => [
    uniqueIndex('ledger_batches_root_key').on(t.root),
    index('ledger_batches_status_idx').on(t.status, t.createdAt),
    index('ledger_batches_confirmed_idx').on(t.confirmedAt),
  ],
);

/**
 * Anchors that vanished from the chain: the batch was confirmed there, then its root was no longer
 * anchored (the chain lost state, re-orged deeper than the confirmations, or the ledger contract is
 * gone). The batch was anchored again; proofs naming these transactions are superseded.
 */
export const ledgerAnchorLosses = pgTable(
  'ledger_anchor_losses',
  {
    /** UUIDv7. */
    id: uuid('id').primaryKey(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => ledgerBatches.id),
    chainId: bigint('chain_id', { mode: 'number' }),
    ledgerAddress: text('ledger_address').notNull(),
    transactionHash: text('transaction_hash'),
    blockNumber: bigint('block_number', { mode: 'number' }),
    anchoredAt: timestamptz('anchored_at'),
    reason: text('reason').notNull(),
    detectedAt: timestamptz('detected_at').notNull(),
  },
  (t) => [index('ledger_anchor_losses_batch_idx').on(t.batchId)],
);

/** Each anchored event's place in its batch: the leaf and the proof from it to the batch's root. */
export const ledgerLeaves = pgTable(
  'ledger_leaves',
  {
    auditEventId: uuid('audit_event_id').primaryKey(),
    organizationId: uuid('organization_id').notNull(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => ledgerBatches.id),
    /** The anchored value: the audit event's hash (bytes32). */
    eventHash: text('event_hash').notNull(),
    /** keccak256(keccak256(abi.encode(eventHash))), as `StandardMerkleTree` and `ContractLedger.leafOf` compute it. */
    leaf: text('leaf').notNull(),
    /** Sibling hashes from the leaf up to the root (OpenZeppelin `MerkleProof`). */
    proof: jsonb('proof').$type<`0x${string}`[]>().notNull(),
  },
  (t) => [index('ledger_leaves_batch_idx').on(t.batchId), index('ledger_leaves_org_idx').on(t.organizationId)],
);

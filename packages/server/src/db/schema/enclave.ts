// What the enclave encrypted at rest. Every wrapped data key of the system is a row of `data_keys`, so
// KEK rotation can find and rewrap all of them (and retiring a KEK can check none is left); the objects
// they protect (confidential terms here, documents later) refer to their key by id.
import { index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, timestamptz } from './columns.js';
import { contracts } from './contracts.js';
import { organizations } from './users.js';

export const dataKeys = pgTable(
  'data_keys',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** With `organizationId` and `objectId`, the encryption context (AAD) the key is bound to. */
    purpose: text('purpose').notNull(),
    objectId: text('object_id').notNull(),
    kekVersion: integer('kek_version').notNull(),
    /** 65 bytes from the enclave: format, KEK version, IV, encrypted key, tag. */
    wrappedKey: bytea('wrapped_key').notNull(),
    createdAt: createdAt(),
    rewrappedAt: timestamptz('rewrapped_at'),
  },
  (t) => [
    uniqueIndex('data_keys_object_idx').on(t.organizationId, t.purpose, t.objectId),
    index('data_keys_kek_version_idx').on(t.kekVersion, t.id),
  ],
);

/** A contract's confidential terms: ciphertext only; the commitment is part of its content hash. */
export const contractConfidentialTerms = pgTable('contract_confidential_terms', {
  contractId: uuid('contract_id')
    .primaryKey()
    .references(() => contracts.id, { onDelete: 'cascade' }),
  organizationId: uuid('organization_id')
    .notNull()
    .references(() => organizations.id),
  dataKeyId: uuid('data_key_id')
    .notNull()
    .references(() => dataKeys.id),
  /** AES-256-GCM (IV | ciphertext | tag) of the terms and their salt, encrypted inside the enclave. */
  ciphertext: bytea('ciphertext').notNull(),
  /** `0x` + SHA-256 of the salted terms (computed in the enclave). */
  commitment: text('commitment').notNull(),
  /** The enclave's attestation document (COSE_Sign1) binding the commitment to the contract. */
  attestation: bytea('attestation').notNull(),
  sealedAt: timestamptz('sealed_at').notNull(),
});

// Uploaded files, content-addressed per organization (the tenant boundary: every query filters by it).
// The bytes live in the blob store, encrypted with the data key the row names.
import { bigint, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { dataKeys } from './enclave.js';
import { organizations } from './users.js';

export const files = pgTable(
  'files',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** Lower-case hex SHA-256 of the plaintext. */
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    mediaType: text('media_type').notNull(),
    /** The blob store's key, `<organization id>/<sha256>.<blob id>`. */
    blobKey: text('blob_key').notNull(),
    dataKeyId: uuid('data_key_id')
      .notNull()
      .references(() => dataKeys.id),
    /** The uploader's DID. */
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.sha256] }), index('files_created_at_idx').on(t.createdAt)],
);

// Contract templates and their immutable published versions. Every row carries `organization_id`, the
// tenant boundary: every query on these tables filters by it.

import type { TemplateVersionContent } from '@cms/sdk';
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, timestamptz } from './columns.js';
import { organizations } from './users.js';

export const TEMPLATE_STATUSES = ['draft', 'published', 'archived'] as const;

export const templates = pgTable(
  'templates',
  {
    /** UUIDv7: keyset pagination by id is creation order. */
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    description: text('description'),
    tags: jsonb('tags').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    status: text('status', { enum: TEMPLATE_STATUSES }).notNull(),
    /** Every change increments it; the ETag and what If-Match compares. */
    revision: integer('revision').notNull().default(1),
    /** The editable draft: what the next publish freezes. */
    draft: jsonb('draft').$type<TemplateVersionContent>().notNull(),
    draftHash: text('draft_hash').notNull(),
    /** The newest published version; null before the first publish. */
    latestVersion: integer('latest_version'),
    /** That version's hash: the draft is published when `draftHash` equals it. */
    latestHash: text('latest_hash'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('templates_org_id_idx').on(t.organizationId, t.id.desc())],
);

/** Published versions: written once, never updated. */
export const templateVersions = pgTable(
  'template_versions',
  {
    templateId: uuid('template_id')
      .notNull()
      .references(() => templates.id),
    version: integer('version').notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** `computeTemplateVersionHash(content)`. */
    hash: text('hash').notNull(),
    content: jsonb('content').$type<TemplateVersionContent>().notNull(),
    publishedBy: text('published_by').notNull(),
    publishedAt: timestamptz('published_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.version] })],
);

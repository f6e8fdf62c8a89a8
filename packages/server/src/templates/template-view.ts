// Maps stored template rows to the API's shapes.
import type { templates, templateVersions } from '../db/schema/index.js';
import type { Template, TemplateSummary, TemplateVersion, TemplateVersionSummary } from '../generated/schemas.js';

export type TemplateRow = typeof templates.$inferSelect;
export type TemplateVersionRow = typeof templateVersions.$inferSelect;

export function templateSummaryView(row: TemplateRow): TemplateSummary {
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    description: row.description,
    tags: row.tags,
    status: row.status,
    revision: row.revision,
    latestVersion: row.latestVersion,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function templateView(row: TemplateRow): Template {
  return {
    ...templateSummaryView(row),
    draft: row.draft,
    draftHash: row.draftHash,
    draftPublished: row.latestHash === row.draftHash,
  };
}

export const templateEtag = (row: Pick<TemplateRow, 'revision'>) => `"${row.revision}"`;

export function templateVersionView(row: TemplateVersionRow): TemplateVersion {
  return {
    templateId: row.templateId,
    organizationId: row.organizationId,
    version: row.version,
    hash: row.hash,
    content: row.content,
    publishedBy: row.publishedBy,
    publishedAt: row.publishedAt.toISOString(),
  };
}

export function templateVersionSummaryView(
  row: Pick<TemplateVersionRow, 'version' | 'hash' | 'publishedBy' | 'publishedAt'>,
): TemplateVersionSummary {
  return {
    version: row.version,
    hash: row.hash,
    publishedBy: row.publishedBy,
    publishedAt: row.publishedAt.toISOString(),
  };
}

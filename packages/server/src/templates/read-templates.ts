// Lists of templates and of their versions, keyset-paginated newest first.
import { and, desc, eq, ilike, lt, type SQL, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { templates, templateVersions } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { TemplateList, TemplateStatus, TemplateVersionList } from '../generated/schemas.js';
import { findTemplate } from './template-access.js';
import { templateSummaryView, templateVersionSummaryView } from './template-view.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const encode = (kind: string, value: string) => Buffer.from(`${kind}:${value}`).toString('base64url');
function decode(kind: string, cursor: string, valid: (v: string) => boolean): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const value = raw.startsWith(`${kind}:`) ? raw.slice(kind.length + 1) : '';
  if (!valid(value))
    throw new AppError('validation_failed', 'The cursor is not one this API returned.', {
      errors: [{ path: '/query/cursor', message: 'invalid cursor' }],
    });
  return value;
}
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface ListTemplatesQuery {
  limit: number;
  cursor?: string;
  status?: TemplateStatus;
  tag?: string;
  q?: string;
}

export async function listTemplates(db: Db, principal: Principal, query: ListTemplatesQuery): Promise<TemplateList> {
  const conditions: SQL[] = [eq(templates.organizationId, principal.organizationId)];
  if (query.cursor)
    conditions.push(
      lt(
        templates.id,
        decode('t1', query.cursor, (v) => UUID.test(v)),
      ),
    );
  if (query.status) conditions.push(eq(templates.status, query.status));
  if (query.tag) conditions.push(sql`${templates.tags} @> ${JSON.stringify([query.tag])}::jsonb`);
  if (query.q) conditions.push(ilike(templates.name, `%${escapeLike(query.q)}%`));
  const rows = await db
    .select()
    .from(templates)
    .where(and(...conditions))
    .orderBy(desc(templates.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    data: page.map(templateSummaryView),
    nextCursor: rows.length > query.limit ? encode('t1', page.at(-1)!.id) : null,
  };
}

export async function listTemplateVersions(
  db: Db,
  principal: Principal,
  templateId: string,
  query: { limit: number; cursor?: string },
): Promise<TemplateVersionList> {
  const template = await findTemplate(db, principal, templateId);
  const conditions: SQL[] = [
    eq(templateVersions.templateId, template.id),
    eq(templateVersions.organizationId, principal.organizationId),
  ];
  if (query.cursor)
    conditions.push(
      lt(templateVersions.version, Number(decode('v1', query.cursor, (v) => /^[1-9][0-9]{0,9}$/.test(v)))),
    );
  const rows = await db
    .select({
      version: templateVersions.version,
      hash: templateVersions.hash,
      publishedBy: templateVersions.publishedBy,
      publishedAt: templateVersions.publishedAt,
    })
    .from(templateVersions)
    .where(and(...conditions))
    .orderBy(desc(templateVersions.version))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    data: page.map(templateVersionSummaryView),
    nextCursor: rows.length > query.limit ? encode('v1', String(page.at(-1)!.version)) : null,
  };
}

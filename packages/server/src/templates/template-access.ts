// A template of the caller's organization, or `not_found` (another tenant's template does not exist
// for the caller), and `If-Match` against its revision.
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db, Tx } from '../db/database.js';
import { templates, templateVersions } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { TemplateRow, TemplateVersionRow } from './template-view.js';

export const templateNotFound = (templateId: string) => new AppError('not_found', `No template ${templateId}.`);

/** The template, locked when `lock` says so (every change takes the update lock first). */
export async function findTemplate(
  db: Db | Tx,
  principal: Principal,
  templateId: string,
  lock?: 'update' | 'share',
): Promise<TemplateRow> {
  const query = db
    .select()
    .from(templates)
    .where(and(eq(templates.id, templateId), eq(templates.organizationId, principal.organizationId)));
  const [row] = lock ? await query.for(lock) : await query;
  if (!row) throw templateNotFound(templateId);
  return row;
}

/** A published version of a template of the caller's organization, or undefined. */
export async function findTemplateVersion(
  db: Db | Tx,
  principal: Principal,
  templateId: string,
  version: number,
): Promise<TemplateVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(templateVersions)
    .where(
      and(
        eq(templateVersions.templateId, templateId),
        eq(templateVersions.organizationId, principal.organizationId),
        eq(templateVersions.version, version),
      ),
    );
  return row;
}

/** `If-Match` (`"<revision>"`, weak or strong, or `*`) against the template's revision: 412 when it moved on. */
export function checkTemplateIfMatch(ifMatch: string | undefined, row: TemplateRow): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes('*') || tags.includes(`"${row.revision}"`)) return;
  throw new AppError('precondition_failed', `The template is at revision ${row.revision}; reload it and retry.`, {
    headers: { etag: `"${row.revision}"` },
  });
}

export function assertNotArchived(row: TemplateRow): void {
  if (row.status === 'archived') throw new AppError('template_archived', `Template ${row.id} is archived.`);
}

import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { templates } from '../db/schema/index.js';
import type { Template, TemplateUpdate } from '../generated/schemas.js';
import { recordTemplateEvent } from './record-template-event.js';
import { assertNotArchived, checkTemplateIfMatch, findTemplate } from './template-access.js';
import { buildTemplateContent } from './template-content.js';
import { templateView } from './template-view.js';

const CONTENT_FIELDS = ['body', 'variables', 'roles', 'terms', 'expiresInDays', 'documents'] as const;

/** Edits name, description, tags and the draft; published versions are never touched. */
export async function updateTemplate(
  db: Db,
  principal: Principal,
  templateId: string,
  input: TemplateUpdate,
  ifMatch?: string,
): Promise<Template> {
  return db.transaction(async (tx) => {
    const row = await findTemplate(tx, principal, templateId, 'update');
    checkTemplateIfMatch(ifMatch, row);
    assertNotArchived(row);
    let draft = { content: row.draft, hash: row.draftHash as `0x${string}` };
    if (CONTENT_FIELDS.some((f) => input[f] !== undefined)) {
      const d = row.draft;
      draft = await buildTemplateContent({
        body: input.body ?? d.body,
        variables: input.variables ?? d.variables,
        // Stored roles carry every field; as input they mean the same.
        roles:
          input.roles ??
          d.roles.map((r) => ({
            key: r.key,
            label: r.label,
            partyRole: r.partyRole,
            signingOrder: r.signingOrder,
            ...(r.description !== null && { description: r.description }),
            ...(r.did !== null && { did: r.did }),
            ...(r.name !== null && { name: r.name }),
          })),
        terms: input.terms ?? d.terms,
        expiresInDays: input.expiresInDays !== undefined ? input.expiresInDays : d.expiresInDays,
        documents: input.documents ?? d.documents,
      });
    }
    const now = new Date();
    const [updated] = await tx
      .update(templates)
      .set({
        name: input.name ?? row.name,
        description: input.description !== undefined ? input.description : row.description,
        tags: input.tags ? [...new Set(input.tags)] : row.tags,
        draft: draft.content,
        draftHash: draft.hash,
        revision: row.revision + 1,
        updatedAt: now,
      })
      .where(eq(templates.id, row.id))
      .returning();
    await recordTemplateEvent(tx, principal, 'updated', updated!, {}, now);
    return templateView(updated!);
  });
}

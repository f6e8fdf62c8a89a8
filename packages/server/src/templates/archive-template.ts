import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { templates } from '../db/schema/index.js';
import type { Template } from '../generated/schemas.js';
import { recordTemplateEvent } from './record-template-event.js';
import { assertNotArchived, checkTemplateIfMatch, findTemplate } from './template-access.js';
import { templateView } from './template-view.js';

/** Archives a template: no new contracts or edits; versions stay readable. */
export async function archiveTemplate(
  db: Db,
  principal: Principal,
  templateId: string,
  ifMatch?: string,
): Promise<Template> {
  return db.transaction(async (tx) => {
    const row = await findTemplate(tx, principal, templateId, 'update');
    checkTemplateIfMatch(ifMatch, row);
    assertNotArchived(row);
    const now = new Date();
    const [updated] = await tx
      .update(templates)
      .set({ status: 'archived', revision: row.revision + 1, updatedAt: now })
      .where(eq(templates.id, row.id))
      .returning();
    await recordTemplateEvent(tx, principal, 'archived', updated!, {}, now);
    return templateView(updated!);
  });
}

import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { templates, templateVersions } from '../db/schema/index.js';
import type { TemplateVersion } from '../generated/schemas.js';
import { recordTemplateEvent } from './record-template-event.js';
import { assertNotArchived, checkTemplateIfMatch, findTemplate } from './template-access.js';
import { templateVersionView } from './template-view.js';

/** Freezes the draft as the next version; the template row's lock serializes concurrent publishes. */
export async function publishTemplate(
  db: Db,
  principal: Principal,
  templateId: string,
  ifMatch?: string,
): Promise<TemplateVersion> {
  return db.transaction(async (tx) => {
    const row = await findTemplate(tx, principal, templateId, 'update');
    checkTemplateIfMatch(ifMatch, row);
    assertNotArchived(row);
    const version = (row.latestVersion ?? 0) + 1;
    const now = new Date();
    const [published] = await tx
      .insert(templateVersions)
      .values({
        templateId: row.id,
        version,
        organizationId: row.organizationId,
        hash: row.draftHash,
        content: row.draft,
        publishedBy: principal.did,
        publishedAt: now,
      })
      .returning();
    const [updated] = await tx
      .update(templates)
      .set({
        status: 'published',
        latestVersion: version,
        latestHash: row.draftHash,
        revision: row.revision + 1,
        updatedAt: now,
      })
      .where(eq(templates.id, row.id))
      .returning();
    await recordTemplateEvent(tx, principal, 'published', updated!, { version, hash: row.draftHash }, now);
    return templateVersionView(published!);
  });
}

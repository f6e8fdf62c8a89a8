import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { templates } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import type { Template, TemplateCreate } from '../generated/schemas.js';
import { recordTemplateEvent } from './record-template-event.js';
import { buildTemplateContent } from './template-content.js';
import { templateView } from './template-view.js';

/** Creates a template with its first draft and its audit event, in one transaction. */
export async function createTemplate(db: Db, principal: Principal, input: TemplateCreate): Promise<Template> {
  const { content, hash } = await buildTemplateContent(input);
  const now = new Date();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(templates)
      .values({
        id: uuidv7(now.getTime()),
        organizationId: principal.organizationId,
        name: input.name,
        description: input.description ?? null,
        tags: [...new Set(input.tags ?? [])],
        status: 'draft',
        revision: 1,
        draft: content,
        draftHash: hash,
        createdBy: principal.did,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordTemplateEvent(tx, principal, 'created', row!, {}, now);
    return templateView(row!);
  });
}

import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { TemplatePreview, TemplatePreviewRequest } from '../generated/schemas.js';
import { findTemplate, findTemplateVersion } from './template-access.js';
import { checkedVariables, fillRoles, renderBody } from './template-render.js';

/** Renders a version (or the draft) with variables, writing nothing. */
export async function previewTemplate(
  db: Db,
  principal: Principal,
  templateId: string,
  input: TemplatePreviewRequest,
): Promise<TemplatePreview> {
  const template = await findTemplate(db, principal, templateId);
  if (input.draft && input.version !== undefined) {
    throw new AppError('validation_failed', 'Preview either the draft or a version.', {
      errors: [{ path: '/body/version', message: 'not with draft: true' }],
    });
  }
  let source: { version: number | null; hash: string; content: typeof template.draft };
  if (input.draft) source = { version: null, hash: template.draftHash, content: template.draft };
  else {
    const number = input.version ?? template.latestVersion;
    const version = number === null ? undefined : await findTemplateVersion(db, principal, template.id, number);
    if (!version) {
      throw new AppError(
        'not_found',
        number === null
          ? `Template ${template.id} has no published version; preview its draft.`
          : `Template ${template.id} has no version ${number}.`,
      );
    }
    source = { version: version.version, hash: version.hash, content: version.content };
  }
  const variables = checkedVariables(source.content, input.variables, '/body/variables');
  const { fills } = fillRoles(source.content, input.parties, { path: '/body/parties', partial: true });
  const { body, bodySha256 } = await renderBody(source.content, variables, fills);
  return { templateId: template.id, version: source.version, hash: source.hash, variables, body, bodySha256 };
}

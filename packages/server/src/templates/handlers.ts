import type { Context } from 'hono';
import { AppError } from '../errors/app-error.js';
import type { Template } from '../generated/schemas.js';
import type { AppEnv } from '../http/app-env.js';
import { CACHE_CONTROL } from '../http/cache-control.js';
import { noneMatchHits, representationOf, sendRepresentation } from '../http/conditional-get.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { archiveTemplate } from './archive-template.js';
import { createTemplate } from './create-template.js';
import { previewTemplate } from './preview-template.js';
import { publishTemplate } from './publish-template.js';
import { listTemplates, listTemplateVersions } from './read-templates.js';
import { findTemplate, findTemplateVersion } from './template-access.js';
import { templateEtag, templateVersionView, templateView } from './template-view.js';
import { updateTemplate } from './update-template.js';

type TemplateHandlers = Pick<
  OperationHandlers,
  | 'createTemplate'
  | 'listTemplates'
  | 'getTemplate'
  | 'updateTemplate'
  | 'publishTemplate'
  | 'archiveTemplate'
  | 'listTemplateVersions'
  | 'getTemplateVersion'
  | 'previewTemplate'
>;

const tagged = (c: Context, template: Template) => (c.header('ETag', templateEtag(template)), template);

export function templateHandlers(s: Services): TemplateHandlers {
  const db = () => s.database.db;
  return {
    createTemplate: async (c) =>
      c.json(tagged(c, await createTemplate(db(), c.get('principal'), c.req.valid('json'))), 201),
    listTemplates: async (c) => {
      const page = await listTemplates(db(), c.get('principal'), c.req.valid('query'));
      return sendRepresentation(
        c,
        representationOf(page, c.req.valid('header')['if-none-match']),
        CACHE_CONTROL.private,
      );
    },
    getTemplate: async (c) => {
      const row = await findTemplate(db(), c.get('principal'), c.req.valid('param').templateId);
      // The revision is the ETag, so the same tag serves If-None-Match and If-Match.
      const etag = templateEtag(row);
      const representation = noneMatchHits(c.req.valid('header')['if-none-match'], etag)
        ? { etag }
        : { etag, json: JSON.stringify(templateView(row)) };
      return sendRepresentation<Template>(c, representation, CACHE_CONTROL.private);
    },
    updateTemplate: async (c) =>
      c.json(
        tagged(
          c,
          await updateTemplate(
            db(),
            c.get('principal'),
            c.req.valid('param').templateId,
            c.req.valid('json'),
            c.req.valid('header')['if-match'],
          ),
        ),
        200,
      ),
    publishTemplate: async (c) =>
      c.json(
        await publishTemplate(
          db(),
          c.get('principal'),
          c.req.valid('param').templateId,
          c.req.valid('header')['if-match'],
        ),
        201,
      ),
    archiveTemplate: async (c) =>
      c.json(
        tagged(
          c,
          await archiveTemplate(
            db(),
            c.get('principal'),
            c.req.valid('param').templateId,
            c.req.valid('header')['if-match'],
          ),
        ),
        200,
      ),
    listTemplateVersions: async (c) => {
      const { templateId, ...rest } = { ...c.req.valid('param'), ...c.req.valid('query') };
      const page = await listTemplateVersions(db(), c.get('principal'), templateId, rest);
      return sendRepresentation(
        c,
        representationOf(page, c.req.valid('header')['if-none-match']),
        CACHE_CONTROL.private,
      );
    },
    getTemplateVersion: async (c) => {
      const { templateId, version } = c.req.valid('param');
      const principal = c.get('principal');
      const row = await findTemplateVersion(db(), principal, templateId, version);
      if (!row) {
        await findTemplate(db(), principal, templateId);
        throw new AppError('not_found', `Template ${templateId} has no version ${version}.`);
      }
      return sendRepresentation(
        c,
        representationOf(templateVersionView(row), c.req.valid('header')['if-none-match']),
        CACHE_CONTROL.private,
      );
    },
    previewTemplate: async (c) =>
      c.json(
        await previewTemplate(db(), c.get('principal'), c.req.valid('param').templateId, c.req.valid('json')),
        200,
      ),
  };
}

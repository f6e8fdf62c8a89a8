// `cms.templates`: reusable contract templates with typed variables, role placeholders and immutable
// published versions (docs/templates.md).
import type { components, paths } from '../generated/schema.js';
import type { RequestOptions } from '../transport/request-options.js';
import type { Api } from './api.js';
import type { ConcurrencyOptions } from './contracts.js';
import { type PagePromise, pagePromise } from './page-promise.js';

type S = components['schemas'];
export type Template = S['Template'];
export type TemplateCreate = S['TemplateCreate'];
export type TemplateUpdate = S['TemplateUpdate'];
export type TemplateSummary = S['TemplateSummary'];
export type TemplateList = S['TemplateList'];
export type TemplateVersion = S['TemplateVersion'];
export type TemplateVersionSummary = S['TemplateVersionSummary'];
export type TemplateVersionList = S['TemplateVersionList'];
export type TemplatePreview = S['TemplatePreview'];
export type TemplateRole = S['TemplateRole'];
export type TemplateParties = S['TemplateParties'];
export type ListTemplatesParams = NonNullable<paths['/v1/templates']['get']['parameters']['query']>;
export type ListTemplateVersionsParams = NonNullable<
  paths['/v1/templates/{templateId}/versions']['get']['parameters']['query']
>;

/** What to render: a published `version` (default the latest) or the `draft`, with these values. */
export interface TemplatePreviewInput<V extends Record<string, unknown> = Record<string, unknown>> {
  variables?: V;
  version?: number;
  draft?: boolean;
  parties?: TemplateParties;
}

export interface TemplateResources {
  /** Creates a template (its first draft). Publish it before creating contracts from it. */
  create(input: TemplateCreate, options?: RequestOptions): Promise<Template>;
  get(templateId: string, options?: RequestOptions): Promise<Template>;
  /** Templates of your organization, newest first; `for await` walks every page. */
  list(params?: ListTemplatesParams, options?: RequestOptions): PagePromise<TemplateList, TemplateSummary>;
  /** Edits the name, description, tags or draft. Pass `ifMatch` (the template's `revision`) to fail on a concurrent edit. */
  update(templateId: string, changes: TemplateUpdate, options?: ConcurrencyOptions): Promise<Template>;
  /** Freezes the draft as the next immutable version. */
  publish(templateId: string, options?: ConcurrencyOptions): Promise<TemplateVersion>;
  /** No new contracts from it, no more edits; its versions stay readable. */
  archive(templateId: string, options?: ConcurrencyOptions): Promise<Template>;
  /** Published versions, newest first, without their content. */
  versions(
    templateId: string,
    params?: ListTemplateVersionsParams,
    options?: RequestOptions,
  ): PagePromise<TemplateVersionList, TemplateVersionSummary>;
  /** One published version with its content and hash. */
  version(templateId: string, version: number, options?: RequestOptions): Promise<TemplateVersion>;
  /**
   * Validates `variables` against the version's schema and renders its body; writes nothing. Type the
   * variables with `TemplateVariables<typeof schema>` or a type parameter.
   * @example
   * const { body } = await cms.templates.preview<{ fee: number }>(id, { variables: { fee: 1200 } });
   */
  preview<V extends Record<string, unknown> = Record<string, unknown>>(
    templateId: string,
    input?: TemplatePreviewInput<V>,
    options?: RequestOptions,
  ): Promise<TemplatePreview>;
}

const ifMatchHeader = (options?: ConcurrencyOptions) => ({
  'If-Match': options?.ifMatch === undefined ? undefined : `"${options.ifMatch}"`,
});

export function createTemplateResources({ raw, unwrap, call }: Api): TemplateResources {
  const path = (templateId: string) => ({ path: { templateId } });
  const resources: TemplateResources = {
    create: (body, options) => unwrap(raw.POST('/v1/templates', { body, ...call(options) })),
    get: (templateId, options) =>
      unwrap(raw.GET('/v1/templates/{templateId}', { params: path(templateId), ...call(options) })),
    list: (query, options) =>
      pagePromise(
        (cursor) => unwrap(raw.GET('/v1/templates', { params: { query: { ...query, cursor } }, ...call(options) })),
        query?.cursor,
      ),
    update: (templateId, body, options) =>
      unwrap(
        raw.PATCH('/v1/templates/{templateId}', {
          params: { ...path(templateId), header: ifMatchHeader(options) },
          body,
          ...call(options),
        }),
      ),
    publish: (templateId, options) =>
      unwrap(
        raw.POST('/v1/templates/{templateId}/publish', {
          params: { ...path(templateId), header: ifMatchHeader(options) },
          ...call(options),
        }),
      ),
    archive: (templateId, options) =>
      unwrap(
        raw.POST('/v1/templates/{templateId}/archive', {
          params: { ...path(templateId), header: ifMatchHeader(options) },
          ...call(options),
        }),
      ),
    versions: (templateId, query, options) =>
      pagePromise(
        (cursor) =>
          unwrap(
            raw.GET('/v1/templates/{templateId}/versions', {
              params: { ...path(templateId), query: { ...query, cursor } },
              ...call(options),
            }),
          ),
        query?.cursor,
      ),
    version: (templateId, version, options) =>
      unwrap(
        raw.GET('/v1/templates/{templateId}/versions/{version}', {
          params: { path: { templateId, version } },
          ...call(options),
        }),
      ),
    preview: (templateId, input = {}, options) =>
      unwrap(
        raw.POST('/v1/templates/{templateId}/preview', {
          params: path(templateId),
          body: { ...input, draft: input.draft ?? false, variables: input.variables ?? {} },
          ...call(options),
        }),
      ),
  };
  return resources;
}

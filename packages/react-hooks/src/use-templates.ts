// Templates: lists, one template with its draft, published versions, and the writes (create, edit, publish, archive).
import type {
  Template,
  TemplateCreate,
  TemplateList,
  TemplateUpdate,
  TemplateVersion,
  TemplateVersionList,
} from '@cms/sdk';
import {
  type InfiniteData,
  type UseInfiniteQueryResult,
  type UseMutationResult,
  type UseQueryResult,
  useInfiniteQuery,
} from '@tanstack/react-query';
import { useCmsContext } from './cms-provider.js';
import { cmsKeys, type TemplateListFilters } from './query-keys.js';
import { retryCmsQuery } from './retry-cms-query.js';
import { type CmsMutationOptions, useCmsMutation } from './use-cms-mutation.js';
import { type CmsQueryOptions, useCmsQuery } from './use-cms-query.js';

/** Templates of the organization matching `filters`, newest first, paginated like `useContracts`. */
export function useTemplates(
  filters: TemplateListFilters = {},
  options?: { enabled?: boolean },
): UseInfiniteQueryResult<InfiniteData<TemplateList, string | undefined>, Error> {
  const { client } = useCmsContext('useTemplates');
  return useInfiniteQuery({
    retry: retryCmsQuery,
    ...options,
    queryKey: cmsKeys.templates.list(filters),
    queryFn: ({ pageParam, signal }) => client.templates.list({ ...filters, cursor: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}

/** One template with its current draft. */
export function useTemplate(templateId: string, options?: CmsQueryOptions<Template>): UseQueryResult<Template, Error> {
  return useCmsQuery(
    'useTemplate',
    cmsKeys.templates.detail(templateId),
    (cms, signal) => cms.templates.get(templateId, { signal }),
    options,
  );
}

/** A template's published versions, newest first (first page). */
export function useTemplateVersions(
  templateId: string,
  options?: CmsQueryOptions<TemplateVersionList>,
): UseQueryResult<TemplateVersionList, Error> {
  return useCmsQuery(
    'useTemplateVersions',
    cmsKeys.templates.versions(templateId),
    (cms, signal) => cms.templates.versions(templateId, {}, { signal }),
    options,
  );
}

/** One published (immutable) version with its content: body, variables schema, roles. */
export function useTemplateVersion(
  templateId: string,
  version: number,
  options?: CmsQueryOptions<TemplateVersion>,
): UseQueryResult<TemplateVersion, Error> {
  return useCmsQuery(
    'useTemplateVersion',
    cmsKeys.templates.version(templateId, version),
    (cms, signal) => cms.templates.version(templateId, version, { signal }),
    options,
  );
}

/** Every template write leaves its detail, versions and the lists to refetch. */
const refetchTemplate = async (queryClient: import('@tanstack/react-query').QueryClient, templateId: string) => {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: cmsKeys.templates.lists() }),
    queryClient.invalidateQueries({ queryKey: cmsKeys.templates.detail(templateId) }),
    queryClient.invalidateQueries({ queryKey: cmsKeys.templates.versions(templateId) }),
  ]);
};

/** What `useTemplateAction().mutate` takes. `ifMatch` is the template `revision` the user saw. */
export type TemplateAction =
  | { action: 'create'; input: TemplateCreate }
  | { action: 'update'; templateId: string; changes: TemplateUpdate; ifMatch?: number }
  | { action: 'publish'; templateId: string; ifMatch?: number }
  | { action: 'archive'; templateId: string; ifMatch?: number };

/**
 * Creates, edits, publishes or archives a template; then refetches the lists and that template.
 * Answers the template, or the new version for `publish`.
 * @example
 * const tpl = useTemplateAction();
 * tpl.mutate({ action: 'publish', templateId, ifMatch: template.revision });
 */
export function useTemplateAction<TOnMutateResult = unknown>(
  options?: CmsMutationOptions<Template | TemplateVersion, TemplateAction, TOnMutateResult>,
): UseMutationResult<Template | TemplateVersion, Error, TemplateAction, TOnMutateResult> {
  return useCmsMutation<Template | TemplateVersion, TemplateAction, TOnMutateResult>(
    {
      hook: 'useTemplateAction',
      run: (cms, step) => {
        switch (step.action) {
          case 'create':
            return cms.templates.create(step.input);
          case 'update':
            return cms.templates.update(step.templateId, step.changes, { ifMatch: step.ifMatch });
          case 'publish':
            return cms.templates.publish(step.templateId, { ifMatch: step.ifMatch });
          case 'archive':
            return cms.templates.archive(step.templateId, { ifMatch: step.ifMatch });
          default:
            return Promise.reject(
              new TypeError(`Unknown template action: ${String((step as { action: unknown }).action)}`),
            );
        }
      },
      onSuccessCache: (queryClient, data) =>
        refetchTemplate(queryClient, 'templateId' in data ? data.templateId : data.id),
      staleOnConflict: (step) =>
        step.action === 'create' ? [] : [cmsKeys.templates.detail(step.templateId), cmsKeys.templates.lists()],
    },
    options,
  );
}

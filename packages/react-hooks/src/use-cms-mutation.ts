// The one mutation helper every @cms/react write goes through: it calls the SDK with the provider's
// client, updates the cache as the resource's `cache` policy says on success, refetches what a 409/412
// proved stale on failure, and then runs the caller's own `onSuccess`/`onError`.
import type { CmsClient } from '@cms/sdk';
import { isCmsError } from '@cms/sdk';
import {
  type QueryClient,
  type QueryKey,
  type UseMutationOptions,
  type UseMutationResult,
  useMutation,
  useQueryClient,
} from '@tanstack/react-query';
import { useCmsContext } from './cms-provider.js';

/** TanStack options of a `@cms/react` mutation hook; `onSuccess` and `onError` run after the hook's own cache updates. */
export type CmsMutationOptions<TData, TVariables, TOnMutateResult = unknown> = Omit<
  UseMutationOptions<TData, Error, TVariables, TOnMutateResult>,
  'mutationFn'
>;

/** What a mutation does, and what it does to the cache. */
export interface CmsMutationSpec<TData, TVariables> {
  /** Named in the error thrown outside a `CmsProvider`. */
  hook: string;
  /** The call, with the provider's SDK client. */
  run: (client: CmsClient, variables: TVariables) => Promise<TData>;
  /** Cache updates after a success (awaited before `mutateAsync` resolves). */
  onSuccessCache?: (queryClient: QueryClient, data: TData, variables: TVariables) => Promise<void> | void;
  /** The cache entries a 409/412 proves stale (the resource changed or moved on): refetched before `onError`. */
  staleOnConflict?: (variables: TVariables) => QueryKey[];
}

/**
 * Builds a mutation hook's result from its spec; the hooks of this package are thin specs over it, and
 * an app can write its own the same way.
 * @example
 * const archive = useCmsMutation({
 *   hook: 'useArchiveTemplate',
 *   run: (cms, id: string) => cms.templates.archive(id),
 *   onSuccessCache: (qc) => qc.invalidateQueries({ queryKey: cmsKeys.templates.all() }),
 * });
 */
export function useCmsMutation<TData, TVariables, TOnMutateResult = unknown>(
  spec: CmsMutationSpec<TData, TVariables>,
  options?: CmsMutationOptions<TData, TVariables, TOnMutateResult>,
): UseMutationResult<TData, Error, TVariables, TOnMutateResult> {
  const { client } = useCmsContext(spec.hook);
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (variables) => spec.run(client, variables),
    onSuccess: async (data, variables, ...rest) => {
      await spec.onSuccessCache?.(queryClient, data, variables);
      await options?.onSuccess?.(data, variables, ...rest);
    },
    onError: async (error, variables, ...rest) => {
      if (spec.staleOnConflict && isConflict(error)) {
        await Promise.all(
          spec.staleOnConflict(variables).map((queryKey) => queryClient.invalidateQueries({ queryKey })),
        );
      }
      await options?.onError?.(error, variables, ...rest);
    },
  });
}

const isConflict = (error: unknown) => isCmsError(error) && (error.status === 409 || error.status === 412);

// The query helper under every single-resource hook: the provider's client, the package's retry policy.
import type { CmsClient } from '@cms/sdk';
import { type QueryKey, type UseQueryOptions, type UseQueryResult, useQuery } from '@tanstack/react-query';
import { useCmsContext } from './cms-provider.js';
import { retryCmsQuery } from './retry-cms-query.js';

/** TanStack options of a `@cms/react` query hook, except those the hook sets itself. */
export type CmsQueryOptions<TData> = Omit<UseQueryOptions<TData, Error, TData, QueryKey>, 'queryKey' | 'queryFn'>;

export function useCmsQuery<TData>(
  hook: string,
  queryKey: QueryKey,
  fetch: (client: CmsClient, signal: AbortSignal) => Promise<TData>,
  options?: CmsQueryOptions<TData>,
): UseQueryResult<TData, Error> {
  const { client } = useCmsContext(hook);
  return useQuery({ retry: retryCmsQuery, ...options, queryKey, queryFn: ({ signal }) => fetch(client, signal) });
}

import type { ContractList } from '@cms/sdk';
import {
  type InfiniteData,
  type UseInfiniteQueryOptions,
  type UseInfiniteQueryResult,
  useInfiniteQuery,
} from '@tanstack/react-query';
import { useCmsContext } from './cms-provider.js';
import { type ContractListFilters, cmsKeys } from './query-keys.js';
import { retryCmsQuery } from './retry-cms-query.js';

type ContractListKey = ReturnType<typeof cmsKeys.contracts.list>;

/** TanStack options for `useContracts`, except those the hook sets itself. */
export type UseContractsOptions = Omit<
  UseInfiniteQueryOptions<
    ContractList,
    Error,
    InfiniteData<ContractList, string | undefined>,
    ContractListKey,
    string | undefined
  >,
  'queryKey' | 'queryFn' | 'initialPageParam' | 'getNextPageParam'
>;

/**
 * The contracts matching `filters`, newest first, one page per server round trip.
 * `data.pages` holds the pages loaded so far; `fetchNextPage()` loads the next while `hasNextPage`.
 * @example
 * const { data, fetchNextPage, hasNextPage } = useContracts({ status: 'draft', limit: 20 });
 * const contracts = data?.pages.flatMap((page) => page.data) ?? [];
 */
export function useContracts(
  filters: ContractListFilters = {},
  options?: UseContractsOptions,
): UseInfiniteQueryResult<InfiniteData<ContractList, string | undefined>, Error> {
  const { client } = useCmsContext('useContracts');
  return useInfiniteQuery({
    retry: retryCmsQuery,
    ...options,
    queryKey: cmsKeys.contracts.list(filters),
    queryFn: ({ pageParam }) => client.contracts.list({ ...filters, cursor: pageParam }),
    initialPageParam: undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}

import type { Contract } from '@cms/sdk';
import { type UseQueryOptions, type UseQueryResult, useQuery } from '@tanstack/react-query';
import { useCmsContext } from './cms-provider.js';
import { cmsKeys } from './query-keys.js';
import { retryCmsQuery } from './retry-cms-query.js';

/** TanStack options for `useContract`, except those the hook sets itself. */
export type UseContractOptions = Omit<
  UseQueryOptions<Contract, Error, Contract, ReturnType<typeof cmsKeys.contracts.detail>>,
  'queryKey' | 'queryFn'
>;

/**
 * One contract. An unknown id (or one another organization owns) ends in `error` being a
 * `CmsNotFoundError`; client errors like that one are not retried.
 * @example
 * const { data: contract, error } = useContract(contractId);
 * if (error instanceof CmsNotFoundError) return <NotFound />;
 */
export function useContract(contractId: string, options?: UseContractOptions): UseQueryResult<Contract, Error> {
  const { client } = useCmsContext('useContract');
  return useQuery({
    retry: retryCmsQuery,
    ...options,
    queryKey: cmsKeys.contracts.detail(contractId),
    queryFn: () => client.contracts.get(contractId),
  });
}

// The audit trail: its events page by page, and the server's check of the hash chain.
import type { AuditEventList, AuditVerification, VerifyAuditTrailParams } from '@cms/sdk';
import {
  type InfiniteData,
  type UseInfiniteQueryResult,
  type UseMutationResult,
  useInfiniteQuery,
} from '@tanstack/react-query';
import { useCmsContext } from './cms-provider.js';
import { type AuditEventListFilters, cmsKeys } from './query-keys.js';
import { retryCmsQuery } from './retry-cms-query.js';
import { type CmsMutationOptions, useCmsMutation } from './use-cms-mutation.js';

/**
 * The organization's audit events matching `filters` (`from`, `to`, `actorDid`, `action`, `resourceType`,
 * `resourceId`, `contractId`, `limit`), oldest first (chain order), paginated like `useContracts`. Needs `audit:read`.
 */
export function useAuditEvents(
  filters: AuditEventListFilters = {},
  options?: { enabled?: boolean },
): UseInfiniteQueryResult<InfiniteData<AuditEventList, string | undefined>, Error> {
  const { client } = useCmsContext('useAuditEvents');
  return useInfiniteQuery({
    retry: retryCmsQuery,
    ...options,
    queryKey: cmsKeys.audit.events(filters),
    queryFn: ({ pageParam, signal }) => client.audit.events({ ...filters, cursor: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}

/** What `useVerifyAuditChain().mutate` takes: nothing (the whole chain) or the time range `{ from?, to? }`. */
// biome-ignore lint/suspicious/noConfusingVoidType: `void` is what lets `mutate()` be called without arguments.
export type VerifyAuditChainVariables = VerifyAuditTrailParams | void;

/**
 * Asks the server to recompute the audit chain (of `[from, to)` when given) and check its anchors, on
 * demand: `mutate()` or `mutate({ from, to })`. A break answers `verified: false` with the `break`, not an error.
 * Caches nothing.
 */
export function useVerifyAuditChain<TOnMutateResult = unknown>(
  options?: CmsMutationOptions<AuditVerification, VerifyAuditChainVariables, TOnMutateResult>,
): UseMutationResult<AuditVerification, Error, VerifyAuditChainVariables, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useVerifyAuditChain',
      run: (cms, params) => cms.audit.verify(params || undefined),
    },
    options,
  );
}

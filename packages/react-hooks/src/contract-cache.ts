// How a contract mutation reaches the cache. Every mutation answers the contract as it now is, so its
// detail entry is replaced (no refetch), and every list is refetched: a status or title change can move
// the contract into, out of or within any filtered list. Nothing else is touched.
import { isCmsError, type Contract } from '@cms/sdk';
import type { QueryClient } from '@tanstack/react-query';
import { cmsKeys } from './query-keys.js';

/** Caches `contract` as its detail and refetches the contract lists; resolves once mounted lists are fresh. */
export async function cacheChangedContract(queryClient: QueryClient, contract: Contract): Promise<void> {
  const detail = cmsKeys.contracts.detail(contract.id);
  // A detail fetch started before the mutation could land after it and show the old contract.
  await queryClient.cancelQueries({ queryKey: detail, exact: true });
  queryClient.setQueryData(detail, contract);
  await queryClient.invalidateQueries({ queryKey: cmsKeys.contracts.lists() });
}

/**
 * After a failed mutation: a 409/412 means the cached contract is not the server's any more (someone
 * changed it, or it moved on in its lifecycle), so that contract and the lists are refetched.
 */
export async function refreshConflictingContract(queryClient: QueryClient, contractId: string, error: unknown): Promise<void> {
  if (!isCmsError(error) || (error.status !== 409 && error.status !== 412)) return;
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: cmsKeys.contracts.detail(contractId), exact: true }),
    queryClient.invalidateQueries({ queryKey: cmsKeys.contracts.lists() }),
  ]);
}

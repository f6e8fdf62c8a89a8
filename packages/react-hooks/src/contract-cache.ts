// How a contract mutation reaches the cache. Every mutation answers the contract as it now is, so its
// detail entry is replaced (no refetch), and every list is refetched: a status or title change can move
// the contract into, out of or within any filtered list. Its history is refetched too.
import type { Contract } from '@cms/sdk';
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { cmsKeys } from './query-keys.js';

/** Caches `contract` as its detail and refetches the contract lists; resolves once mounted lists are fresh. */
export async function cacheChangedContract(queryClient: QueryClient, contract: Contract): Promise<void> {
  const detail = cmsKeys.contracts.detail(contract.id);
  // A detail fetch started before the mutation could land after it and show the old contract.
  await queryClient.cancelQueries({ queryKey: detail, exact: true });
  queryClient.setQueryData(detail, contract);
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: cmsKeys.contracts.lists() }),
    queryClient.invalidateQueries({ queryKey: cmsKeys.contracts.history(contract.id) }),
  ]);
}

/** What a 409/412 on `contractId` proves stale: that contract and every list. */
export function staleContractKeys(contractId: string): QueryKey[] {
  return [cmsKeys.contracts.detail(contractId), cmsKeys.contracts.lists()];
}

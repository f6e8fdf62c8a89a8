// Live events into the cache: a contract event patches the contract's status (and the ledger record
// of an anchor) in every cached list page and in its detail at once, so screens change without a
// round trip, then refetches what it touched for the full picture (parties, history, ledger).
import type { Contract, ContractEvent, ContractList } from '@cms/sdk';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { cmsKeys } from './query-keys.js';

/** Applies one event to the cache; `useContractEvents` calls it for every event it receives. */
export function applyContractEvent(queryClient: QueryClient, event: ContractEvent): void {
  const patch = (contract: Contract): Contract => {
    if (contract.id !== event.contractId) return contract;
    const { status, revision, batchId, transactionHash, blockNumber } = event.data;
    // An event older than what the cache shows (the answer of a mutation got there first) changes nothing.
    if (revision !== undefined && revision < contract.revision) return contract;
    if (event.type === 'contract.anchored') {
      return {
        ...contract,
        ledger: {
          status: 'confirmed',
          batchId: batchId ?? contract.ledger.batchId,
          transactionHash: transactionHash ?? contract.ledger.transactionHash,
          blockNumber: blockNumber ?? contract.ledger.blockNumber,
        },
      };
    }
    return { ...contract, ...(status ? { status } : {}), ...(revision !== undefined ? { revision } : {}) };
  };
  queryClient.setQueryData<Contract>(cmsKeys.contracts.detail(event.contractId), (old) => (old ? patch(old) : old));
  queryClient.setQueriesData<InfiniteData<ContractList>>({ queryKey: cmsKeys.contracts.lists() }, (old) =>
    old ? { ...old, pages: old.pages.map((page) => ({ ...page, data: page.data.map(patch) })) } : old,
  );
  void queryClient.invalidateQueries({ queryKey: cmsKeys.contracts.detail(event.contractId), exact: true });
  void queryClient.invalidateQueries({ queryKey: cmsKeys.contracts.history(event.contractId) });
  void queryClient.invalidateQueries({ queryKey: cmsKeys.contracts.evidence(event.contractId) });
  // A created contract is in no cached list yet; a status change can move one between filtered lists.
  void queryClient.invalidateQueries({ queryKey: cmsKeys.contracts.lists() });
}

// Query keys of every cache entry the hooks own, so apps can invalidate, prefetch or seed them.
import type { ListContractsParams } from '@cms/sdk';

/** The filters of a contract list: everything `contracts.list` takes except the page cursor. */
export type ContractListFilters = Omit<ListContractsParams, 'cursor'>;

/**
 * Query key factory. Keys nest, so invalidating a prefix reaches everything below it.
 * @example
 * queryClient.invalidateQueries({ queryKey: cmsKeys.contracts.lists() }); // every contract list
 * queryClient.invalidateQueries({ queryKey: cmsKeys.contracts.detail(id) }); // one contract
 */
export const cmsKeys = {
  /** Everything cached by `@cms/react`. */
  all: ['cms'] as const,
  contracts: {
    /** Every contract list and contract. */
    all: () => [...cmsKeys.all, 'contracts'] as const,
    /** Every contract list, whatever its filters. */
    lists: () => [...cmsKeys.contracts.all(), 'list'] as const,
    /** The (paginated) list with these filters; `useContracts(filters)` caches under it. */
    list: (filters: ContractListFilters = {}) => [...cmsKeys.contracts.lists(), filters] as const,
    /** Every single contract. */
    details: () => [...cmsKeys.contracts.all(), 'detail'] as const,
    /** One contract; `useContract(id)` caches under it. */
    detail: (contractId: string) => [...cmsKeys.contracts.details(), contractId] as const,
  },
};

import type { Contract, ContractCreate } from '@cms/sdk';
import { useMutation, useQueryClient, type UseMutationOptions, type UseMutationResult } from '@tanstack/react-query';
import { useCmsContext } from './cms-provider.js';
import { cacheChangedContract } from './contract-cache.js';

/** TanStack options for `useCreateContract`; an `onSuccess` runs after the hook's own cache updates. */
export type UseCreateContractOptions<TOnMutateResult = unknown> = Omit<UseMutationOptions<Contract, Error, ContractCreate, TOnMutateResult>, 'mutationFn'>;

/**
 * Creates a contract. On success it caches the new contract under `cmsKeys.contracts.detail(id)`
 * and refetches every contract list; `mutateAsync` resolves once the mounted lists are fresh.
 * @example
 * const create = useCreateContract();
 * <button disabled={create.isPending} onClick={() => create.mutate({ title: 'NDA' })}>New NDA</button>
 */
export function useCreateContract<TOnMutateResult = unknown>(
  options?: UseCreateContractOptions<TOnMutateResult>,
): UseMutationResult<Contract, Error, ContractCreate, TOnMutateResult> {
  const { client } = useCmsContext('useCreateContract');
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input) => client.contracts.create(input),
    onSuccess: async (contract, ...rest) => {
      await cacheChangedContract(queryClient, contract);
      await options?.onSuccess?.(contract, ...rest);
    },
  });
}

import type { Contract, ContractCreate } from '@cms/sdk';
import type { UseMutationResult } from '@tanstack/react-query';
import { cacheChangedContract } from './contract-cache.js';
import { type CmsMutationOptions, useCmsMutation } from './use-cms-mutation.js';

/** TanStack options for `useCreateContract`; an `onSuccess` runs after the hook's own cache updates. */
export type UseCreateContractOptions<TOnMutateResult = unknown> = CmsMutationOptions<
  Contract,
  ContractCreate,
  TOnMutateResult
>;

/**
 * Creates a contract (also from a template: `{ template: { id, variables }, parties: { Role: { did } } }`).
 * On success it caches the new contract under `cmsKeys.contracts.detail(id)` and refetches every
 * contract list; `mutateAsync` resolves once the mounted lists are fresh.
 * @example
 * const create = useCreateContract();
 * <button disabled={create.isPending} onClick={() => create.mutate({ title: 'NDA' })}>New NDA</button>
 */
export function useCreateContract<TOnMutateResult = unknown>(
  options?: UseCreateContractOptions<TOnMutateResult>,
): UseMutationResult<Contract, Error, ContractCreate, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useCreateContract',
      run: (client, input) => client.contracts.create(input),
      onSuccessCache: cacheChangedContract,
    },
    options,
  );
}

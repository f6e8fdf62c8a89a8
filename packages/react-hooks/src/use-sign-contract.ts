import type { Contract, SignOptions } from '@cms/sdk';
import type { UseMutationResult } from '@tanstack/react-query';
import { cacheChangedContract, staleContractKeys } from './contract-cache.js';
import { type CmsMutationOptions, useCmsMutation } from './use-cms-mutation.js';

/** What `useSignContract().mutate` takes: the contract, and the party's signer (its key stays in the app). */
export interface SignContractVariables extends SignOptions {
  contractId: string;
}

/** TanStack options for `useSignContract`; `onSuccess` and `onError` run after the hook's own cache updates. */
export type UseSignContractOptions<TOnMutateResult = unknown> = CmsMutationOptions<
  Contract,
  SignContractVariables,
  TOnMutateResult
>;

/**
 * Signs a contract as one of its parties, on this device (`contracts.sign`): the SDK fetches the
 * contract, recomputes its content hash, and signs only when it matches what the server states; only
 * the signature is sent. On success the signed contract replaces `cmsKeys.contracts.detail(id)` and
 * every contract list refetches; on a 409/412 (already signed, out of order, a newer version) the
 * contract and the lists refetch, so the page shows why.
 * @example
 * const sign = useSignContract();
 * const signer = await didKeySigner(privateKeyHex); // or a viem account for did:pkh (EIP-712)
 * <button onClick={() => sign.mutate({ contractId, signer })}>Sign</button>
 */
export function useSignContract<TOnMutateResult = unknown>(
  options?: UseSignContractOptions<TOnMutateResult>,
): UseMutationResult<Contract, Error, SignContractVariables, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useSignContract',
      run: (client, { contractId, ...signOptions }) => client.contracts.sign(contractId, signOptions),
      onSuccessCache: cacheChangedContract,
      staleOnConflict: (variables) => staleContractKeys(variables.contractId),
    },
    options,
  );
}

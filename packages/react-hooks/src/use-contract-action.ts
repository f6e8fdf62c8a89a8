import type { AnchorWaitOptions, CmsClient, ConcurrencyOptions, Contract, ContractSigner } from '@cms/sdk';
import type { UseMutationResult } from '@tanstack/react-query';
import { cacheChangedContract, staleContractKeys } from './contract-cache.js';
import { type CmsMutationOptions, useCmsMutation } from './use-cms-mutation.js';

/**
 * A lifecycle step other than signing, as `useContractAction().mutate` takes it. `ifMatch` (the
 * `revision` you showed the user) makes the step fail with 412 rather than act on a changed contract.
 */
export type ContractAction =
  /** Sends a draft for signature. */
  | ({ action: 'send'; contractId: string } & ConcurrencyOptions & AnchorWaitOptions)
  /** Cancels a contract of your organization that is not executed yet. */
  | ({ action: 'void'; contractId: string; reason: string } & ConcurrencyOptions)
  /** Refuses to sign, as a party; with `signer`, the refusal is signed like a signature. */
  | ({ action: 'decline'; contractId: string; reason: string; signer?: ContractSigner } & ConcurrencyOptions)
  /** Ends an executed contract early. */
  | ({ action: 'terminate'; contractId: string; reason: string } & ConcurrencyOptions);

/** TanStack options for `useContractAction`; `onSuccess` and `onError` run after the hook's own cache updates. */
export type UseContractActionOptions<TOnMutateResult = unknown> = CmsMutationOptions<
  Contract,
  ContractAction,
  TOnMutateResult
>;

/**
 * Sends, voids, declines or terminates a contract. Like `useSignContract`, success replaces the
 * contract's detail entry and refetches the lists; a 409/412 refetches the contract and the lists.
 * @example
 * const act = useContractAction();
 * <button onClick={() => act.mutate({ action: 'send', contractId, ifMatch: contract.revision })}>Send</button>
 * <button onClick={() => act.mutate({ action: 'void', contractId, reason: 'Superseded' })}>Void</button>
 */
export function useContractAction<TOnMutateResult = unknown>(
  options?: UseContractActionOptions<TOnMutateResult>,
): UseMutationResult<Contract, Error, ContractAction, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useContractAction',
      run: (client, step) => runContractAction(client.contracts, step),
      onSuccessCache: cacheChangedContract,
      staleOnConflict: (step) => staleContractKeys(step.contractId),
    },
    options,
  );
}

type Contracts = CmsClient['contracts'];

function runContractAction(contracts: Contracts, step: ContractAction): Promise<Contract> {
  switch (step.action) {
    case 'send':
      return contracts.send(step.contractId, { ifMatch: step.ifMatch, waitForAnchor: step.waitForAnchor });
    case 'void':
      return contracts.void(step.contractId, step.reason, { ifMatch: step.ifMatch });
    case 'decline':
      return contracts.decline(step.contractId, step.reason, { ifMatch: step.ifMatch, signer: step.signer });
    case 'terminate':
      return contracts.terminate(step.contractId, step.reason, { ifMatch: step.ifMatch });
    default: // only reachable from untyped callers
      return Promise.reject(new TypeError(`Unknown contract action: ${String((step as { action: unknown }).action)}`));
  }
}

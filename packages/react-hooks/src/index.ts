// Public surface of @cms/react: every export is deliberate.
export { CmsProvider, useCmsClient } from './cms-provider.js';
export type { CmsProviderProps } from './cms-provider.js';
export { cmsKeys } from './query-keys.js';
export type { ContractListFilters } from './query-keys.js';
export type { CmsSession } from './session-store.js';
export { useAuth } from './use-auth.js';
export type { UseAuthResult } from './use-auth.js';
export { useContract } from './use-contract.js';
export type { UseContractOptions } from './use-contract.js';
export { useContractAction } from './use-contract-action.js';
export type { ContractAction, UseContractActionOptions } from './use-contract-action.js';
export { useContracts } from './use-contracts.js';
export type { UseContractsOptions } from './use-contracts.js';
export { useCreateContract } from './use-create-contract.js';
export type { UseCreateContractOptions } from './use-create-contract.js';
export { useSignContract } from './use-sign-contract.js';
export type { SignContractVariables, UseSignContractOptions } from './use-sign-contract.js';

// Public surface of @cms/react: every export is deliberate.

export type { CmsProviderProps } from './cms-provider.js';
export { CmsProvider, useCmsClient } from './cms-provider.js';
export { applyContractEvent } from './live-contract-events.js';
export type {
  AuditEventListFilters,
  ContractListFilters,
  TemplateListFilters,
  WebhookDeliveryListFilters,
} from './query-keys.js';
export { cmsKeys } from './query-keys.js';
export type { CmsSession } from './session-store.js';
export {
  useInvitations,
  useMe,
  useMembers,
  useOrganizations,
  useRevokeSession,
  useServiceAccounts,
  useSessions,
} from './use-account.js';
export type { VerifyAuditChainVariables } from './use-audit.js';
export { useAuditEvents, useVerifyAuditChain } from './use-audit.js';
export type { UseAuthResult } from './use-auth.js';
export { useAuth } from './use-auth.js';
export type { CmsMutationOptions, CmsMutationSpec } from './use-cms-mutation.js';
export { useCmsMutation } from './use-cms-mutation.js';
export type { CmsQueryOptions } from './use-cms-query.js';
export type { UseContractOptions } from './use-contract.js';
export { useContract } from './use-contract.js';
export type { ContractAction, UseContractActionOptions } from './use-contract-action.js';
export { useContractAction } from './use-contract-action.js';
export type { UseContractEventsOptions, UseContractEventsResult } from './use-contract-events.js';
export { useContractEvents } from './use-contract-events.js';
export { useContractEvidence, useContractHistory } from './use-contract-reads.js';
export type { UseContractsOptions } from './use-contracts.js';
export { useContracts } from './use-contracts.js';
export type { UseCreateContractOptions } from './use-create-contract.js';
export { useCreateContract } from './use-create-contract.js';
export type { EnclaveAttestation, EnclaveInfo } from './use-enclave.js';
export { useEnclave, useEnclaveAttestation } from './use-enclave.js';
export type { UploadFileVariables } from './use-files.js';
export { useUploadFile } from './use-files.js';
export { useLedgerBatch, useLedgerEventProof } from './use-ledger.js';
export type { SignContractVariables, UseSignContractOptions } from './use-sign-contract.js';
export { useSignContract } from './use-sign-contract.js';
export { useLedgerStatus, useServerStatus } from './use-status.js';
export type { TemplateAction } from './use-templates.js';
export {
  useTemplate,
  useTemplateAction,
  useTemplates,
  useTemplateVersion,
  useTemplateVersions,
} from './use-templates.js';
export type {
  ReplayWebhookVariables,
  RetryWebhookDeliveryVariables,
  RotateWebhookSecretVariables,
  UpdateWebhookVariables,
} from './use-webhooks.js';
export {
  useCreateWebhook,
  useDeleteWebhook,
  useReplayWebhook,
  useRetryWebhookDelivery,
  useRotateWebhookSecret,
  useTestWebhook,
  useUpdateWebhook,
  useWebhook,
  useWebhookDeliveries,
  useWebhookDelivery,
  useWebhooks,
} from './use-webhooks.js';

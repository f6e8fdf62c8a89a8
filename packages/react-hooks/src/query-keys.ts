// Query keys of every cache entry the hooks own, so apps can invalidate, prefetch or seed them.
import type {
  ListAuditEventsParams,
  ListContractsParams,
  ListTemplatesParams,
  ListWebhookDeliveriesParams,
} from '@cms/sdk';

/** The filters of a contract list: everything `contracts.list` takes except the page cursor. */
export type ContractListFilters = Omit<ListContractsParams, 'cursor'>;
/** The filters of a template list: everything `templates.list` takes except the page cursor. */
export type TemplateListFilters = Omit<ListTemplatesParams, 'cursor'>;
/** The filters of a webhook delivery log: everything `webhooks.deliveries` takes except the page cursor. */
export type WebhookDeliveryListFilters = Omit<ListWebhookDeliveriesParams, 'cursor'>;
/** The filters of the audit trail: everything `audit.events` takes except the page cursor. */
export type AuditEventListFilters = Omit<ListAuditEventsParams, 'cursor'>;

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
    /** A contract's history; `useContractHistory(id)`. */
    history: (contractId: string) => [...cmsKeys.contracts.all(), 'history', contractId] as const,
    /** A contract's evidence bundle; `useContractEvidence(id)`. */
    evidence: (contractId: string) => [...cmsKeys.contracts.all(), 'evidence', contractId] as const,
  },
  templates: {
    /** Every template list, template and version. */
    all: () => [...cmsKeys.all, 'templates'] as const,
    lists: () => [...cmsKeys.templates.all(), 'list'] as const,
    list: (filters: TemplateListFilters = {}) => [...cmsKeys.templates.lists(), filters] as const,
    detail: (templateId: string) => [...cmsKeys.templates.all(), 'detail', templateId] as const,
    versions: (templateId: string) => [...cmsKeys.templates.all(), 'versions', templateId] as const,
    version: (templateId: string, version: number) => [...cmsKeys.templates.versions(templateId), version] as const,
  },
  account: {
    /** The caller, their organizations, members, invitations and sessions. */
    all: () => [...cmsKeys.all, 'account'] as const,
    me: () => [...cmsKeys.account.all(), 'me'] as const,
    organizations: () => [...cmsKeys.account.all(), 'organizations'] as const,
    members: (organizationId: string) => [...cmsKeys.account.all(), 'members', organizationId] as const,
    invitations: (organizationId: string) => [...cmsKeys.account.all(), 'invitations', organizationId] as const,
    myInvitations: () => [...cmsKeys.account.all(), 'my-invitations'] as const,
    serviceAccounts: (organizationId: string) =>
      [...cmsKeys.account.all(), 'service-accounts', organizationId] as const,
    sessions: () => [...cmsKeys.account.all(), 'sessions'] as const,
  },
  webhooks: {
    /** Every webhook endpoint, delivery log and delivery. */
    all: () => [...cmsKeys.all, 'webhooks'] as const,
    /** The organization's endpoints; `useWebhooks()`. */
    list: () => [...cmsKeys.webhooks.all(), 'list'] as const,
    /** One endpoint; `useWebhook(id)`. */
    detail: (webhookId: string) => [...cmsKeys.webhooks.all(), 'detail', webhookId] as const,
    /** Every delivery log of one endpoint, whatever its filters, and its deliveries. */
    deliveries: (webhookId: string) => [...cmsKeys.webhooks.all(), 'deliveries', webhookId] as const,
    /** The (paginated) delivery log with these filters; `useWebhookDeliveries(id, filters)`. */
    deliveryList: (webhookId: string, filters: WebhookDeliveryListFilters = {}) =>
      [...cmsKeys.webhooks.deliveries(webhookId), 'list', filters] as const,
    /** One delivery with its attempts; `useWebhookDelivery(id, deliveryId)`. */
    delivery: (webhookId: string, deliveryId: string) =>
      [...cmsKeys.webhooks.deliveries(webhookId), 'detail', deliveryId] as const,
  },
  audit: {
    /** Every audit trail list. */
    all: () => [...cmsKeys.all, 'audit'] as const,
    /** Every audit event list, whatever its filters. */
    lists: () => [...cmsKeys.audit.all(), 'events'] as const,
    /** The (paginated) audit trail with these filters; `useAuditEvents(filters)`. */
    events: (filters: AuditEventListFilters = {}) => [...cmsKeys.audit.lists(), filters] as const,
  },
  /** `GET /v1/status`. */
  serverStatus: () => [...cmsKeys.all, 'status'] as const,
  /** `GET /v1/ledger/status`. */
  ledgerStatus: () => [...cmsKeys.all, 'ledger', 'status'] as const,
  /** `GET /v1/ledger/batches/{batchId}`; `useLedgerBatch(batchId)`. */
  ledgerBatch: (batchId: string) => [...cmsKeys.all, 'ledger', 'batch', batchId] as const,
  /** `GET /v1/ledger/events/{auditEventId}`; `useLedgerEventProof(auditEventId)`. */
  ledgerEventProof: (auditEventId: string) => [...cmsKeys.all, 'ledger', 'event', auditEventId] as const,
  enclave: {
    /** The enclave's description and every attestation fetched. */
    all: () => [...cmsKeys.all, 'enclave'] as const,
    /** `GET /v1/enclave`; `useEnclave()`. */
    info: () => [...cmsKeys.enclave.all(), 'info'] as const,
    /** `GET /v1/enclave/attestation?nonce=`; `useEnclaveAttestation(nonce)`. */
    attestation: (nonce: string) => [...cmsKeys.enclave.all(), 'attestation', nonce] as const,
  },
};

// Public surface of @cms/sdk: every export is deliberate (see index.test.ts).

// Node: a 0600 token file; browsers get a stub that explains why not (package.json `imports` conditions).
export { fileTokenStorage } from '#platform';
export type { AuditEventContent } from './audit/audit-event-hash.js';
export { computeAuditEventHash, GENESIS_HASH } from './audit/audit-event-hash.js';
export type {
  AuditChainBreak,
  AuditChainBreakKind,
  AuditChainCheck,
  AuditChainRow,
  CheckAuditChainOptions,
} from './audit/check-audit-chain.js';
export { checkAuditChain } from './audit/check-audit-chain.js';
export type {
  AuditAnchorChecker,
  AuditAnchorToCheck,
  AuditExportCheck,
  AuditExportJwks,
  AuditExportVerification,
  VerifyAuditExportOptions,
} from './audit/verify-audit-export.js';
export { verifyAuditExport } from './audit/verify-audit-export.js';
export type { CmsAuth, LoginOptions } from './auth/auth-api.js';
export type { DidProof, DidProofOptions, EthereumAccount, LoginSigner } from './auth/did-proof.js';
export { createDidProof, signerDid } from './auth/did-proof.js';
export { createLoginProof, LOGIN_PROOF_TYPE } from './auth/login-proof.js';
export type { TokenStorage } from './auth/token-storage.js';
export { memoryTokenStorage, webStorageTokenStorage } from './auth/token-storage.js';
export { canonicalJson } from './canonical/canonical-json.js';
export type { AuthToken, CmsClient, CmsClientOptions, ServerStatus } from './client.js';
export { createCmsClient } from './client.js';
export type { ContractContent, ContractTemplateBinding } from './contracts/content-hash.js';
export { computeContentHash, contractContent } from './contracts/content-hash.js';
export { CONTRACT_STATUSES } from './contracts/contract-statuses.js';
export type { DidKeyPair } from './did/did-key.js';
export {
  didKeyFromPrivateKey,
  didKeyFromPublicKey,
  didKeySigner,
  generateDidKey,
  publicKeyFromDidKey,
} from './did/did-key.js';
export { didPkhFromAddress } from './did/did-pkh.js';
export type { DidSigner } from './did/signer.js';
export type { CmsErrorOptions, ErrorCode, Problem } from './errors.js';
export {
  CmsApiError,
  CmsAuthenticationError,
  CmsConflictError,
  CmsConnectionError,
  CmsError,
  CmsIntegrityError,
  CmsNotFoundError,
  CmsPermissionError,
  CmsRateLimitError,
  CmsTimeoutError,
  CmsValidationError,
  errorClassForStatus,
  errorFromResponse,
  isCmsError,
} from './errors.js';
export type {
  ContractEvent,
  ContractEventType,
  EventFilter,
  EventStreamReset,
  EventSubscription,
  EventsResources,
  StreamEvent,
  StreamEventOf,
  StreamEventType,
  SubscribeOptions,
  WebhookDisabledEvent,
} from './events/subscribe-events.js';
export type { EvidenceBundle } from './evidence/evidence-bundle.js';
export type { EvidenceCheck, EvidenceVerification } from './evidence/evidence-check.js';
export type { EvmEvidenceCheck, EvmEvidenceVerifier } from './evidence/evm-verifier.js';
export { EvmVerifierRequiredError } from './evidence/evm-verifier.js';
export type { VerifyEvidenceOptions } from './evidence/verify-evidence.js';
export { verifyEvidence } from './evidence/verify-evidence.js';
export { errorCatalogue } from './generated/errors.js';
export type { components, paths } from './generated/schema.js';
export type { DecodedJws, JwsHeader } from './jose/compact-jws.js';
export { createCompactJws, decodeCompactJws, signCompactJws } from './jose/compact-jws.js';
export { ledgerBatchIdOf } from './ledger/ledger-batch-id.js';
export { ledgerLeafOf, merkleRootFromProof } from './ledger/merkle.js';
export type {
  AccountResources,
  Invitation,
  InvitationCreate,
  Me,
  Member,
  MyOrganization,
  Organization,
  Role,
  ServiceAccount,
  ServiceAccountCreate,
  Session,
  UserDid,
} from './resources/accounts.js';
export type {
  AdminOrganization,
  AdminOrganizationList,
  AdminResources,
  ListAllOrganizationsParams,
} from './resources/admin.js';
export type {
  AuditEvent,
  AuditEventList,
  AuditExportAnchor,
  AuditExportLine,
  AuditExportManifest,
  AuditExportTrailer,
  AuditResources,
  AuditVerification,
  AuditVerifyBreak,
  ExportAuditTrailParams,
  ListAuditEventsParams,
  VerifyAuditTrailParams,
} from './resources/audit.js';
export type {
  AnchorWaitOptions,
  ConcurrencyOptions,
  Contract,
  ContractCreate,
  ContractFromTemplate,
  ContractHistory,
  ContractList,
  ContractResources,
  ContractStatus,
  ContractUpdate,
  ListContractsParams,
  ServerSigningPayload,
  SignOptions,
} from './resources/contracts.js';
export type {
  DownloadOptions,
  FileData,
  FileResources,
  StoredFile,
  TransferProgress,
  UploadOptions,
} from './resources/files.js';
export type { LedgerBatch, LedgerEventProof, LedgerResources, LedgerStatus } from './resources/ledger.js';
export type { Page, PagePromise } from './resources/page-promise.js';
export type {
  ListTemplatesParams,
  ListTemplateVersionsParams,
  Template,
  TemplateCreate,
  TemplateList,
  TemplateParties,
  TemplatePreview,
  TemplatePreviewInput,
  TemplateResources,
  TemplateRole,
  TemplateSummary,
  TemplateUpdate,
  TemplateVersion,
  TemplateVersionList,
  TemplateVersionSummary,
} from './resources/templates.js';
export type {
  ListWebhookDeliveriesParams,
  WebhookAttempt,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryList,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointUpdate,
  WebhookEndpointWithSecret,
  WebhookReplay,
  WebhookReplayResult,
  WebhookResources,
  WebhookSecret,
  WebhookSecretRotation,
} from './resources/webhooks.js';
export type { ContractSigner, SignedPayload, TypedDataAccount } from './signing/contract-signer.js';
export { contractSignerDid, signPayload } from './signing/contract-signer.js';
export type { SigningPayload } from './signing/signing-payload.js';
export {
  SIGNATURE_JWS_TYPE,
  SIGNATURE_PAYLOAD_TYPE,
  SIGNATURE_TYPED_DATA,
  signingPayloadBytes,
  signingTypedData,
} from './signing/signing-payload.js';
export { TEMPLATE_LIMITS } from './templates/template-limits.js';
export type { TemplateVariables } from './templates/template-variables.js';
export type { TemplateRoleContent, TemplateVersionContent } from './templates/template-version-hash.js';
export {
  computeTemplateVersionHash,
  sha256Hex,
  TEMPLATE_VERSION_TYPE,
  templateVersionContent,
} from './templates/template-version-hash.js';
export type { RequestOptions } from './transport/request-options.js';
export { SDK_VERSION } from './version.js';
export type {
  VerifyWebhookOptions,
  WebhookHeaders,
  WebhookJwk,
  WebhookJwks,
} from './webhooks/verify-webhook.js';
export { verifyWebhook, WebhookVerificationError } from './webhooks/verify-webhook.js';
export type {
  WebhookContractEventMessage,
  WebhookDisabledMessage,
  WebhookEvent,
  WebhookEventType,
  WebhookPingMessage,
  WebhookSecurityAlertMessage,
} from './webhooks/webhook-event.js';

// Public surface of @cms/sdk: every export is deliberate (see index.test.ts).
export { createCmsClient } from './client.js';
export type {
  AuthToken,
  CmsClient,
  CmsClientOptions,
  ConcurrencyOptions,
  Contract,
  ContractHistory,
  ContractUpdate,
  ContractCreate,
  ContractList,
  ContractStatus,
  ListContractsParams,
  ServerStatus,
} from './client.js';
export {
  CmsApiError,
  CmsAuthenticationError,
  CmsConflictError,
  CmsConnectionError,
  CmsError,
  CmsNotFoundError,
  CmsPermissionError,
  CmsRateLimitError,
  CmsValidationError,
  errorClassForStatus,
  errorFromResponse,
  isCmsError,
} from './errors.js';
export type { CmsErrorOptions, ErrorCode, Problem } from './errors.js';
export { errorCatalogue } from './generated/errors.js';
export type { components, paths } from './generated/schema.js';
export { didKeyFromPrivateKey, didKeyFromPublicKey, didKeySigner, generateDidKey, publicKeyFromDidKey } from './did/did-key.js';
export type { DidKeyPair } from './did/did-key.js';
export type { DidSigner } from './did/signer.js';
export { createCompactJws, decodeCompactJws } from './jose/compact-jws.js';
export type { DecodedJws, JwsHeader } from './jose/compact-jws.js';
export { createLoginProof, LOGIN_PROOF_TYPE } from './auth/login-proof.js';
export { contractLedgerAbi } from './generated/contract-ledger.js';
export { ledgerLeafOf, merkleRootFromProof, verifyAnchoredEvent } from './ledger/verify-anchored-event.js';
export type { AnchoredEventFailure, AnchoredEventVerification, VerifyAnchoredEventOptions } from './ledger/verify-anchored-event.js';
export { canonicalJson } from './canonical/canonical-json.js';
export { computeContentHash, contractContent } from './contracts/content-hash.js';
export type { ContractContent } from './contracts/content-hash.js';
export { computeAuditEventHash, GENESIS_HASH } from './audit/audit-event-hash.js';
export type { AuditEventContent } from './audit/audit-event-hash.js';

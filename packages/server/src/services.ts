import type { AccessTokenIssuer } from './auth/access-token.js';
import type { Authenticate } from './auth/authenticate.js';
import type { DidResolver } from './auth/did-resolver.js';
import type { KeyRing } from './auth/key-ring.js';
import type { SessionStore } from './auth/sessions.js';
import type { ProofVerifier } from './auth/verify-did-proof.js';
import type { KeyValueStore } from './cache/key-value-store.js';
import type { ResponseCache } from './cache/response-cache.js';
import type { Database } from './db/database.js';
import type { WritePositions } from './db/write-positions.js';
import type { Enclave } from './enclave/client/enclave-service.js';
import type { EventsRuntime } from './events/events-runtime.js';
import type { FileStorage } from './files/file-storage.js';
import type { Ledger } from './ledger/ledger-runtime.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { Webhooks } from './webhooks/webhooks-runtime.js';

/** What handlers work with; built once per server by `startServer`. */
export interface Services {
  version: string;
  database: Database;
  tokens: AccessTokenIssuer;
  /** Access-token signing keys (rotation, JWKS). */
  keys: KeyRing;
  /** Bearer token → principal of a live session; run by the authorization middleware. */
  authenticate: Authenticate;
  /** Key-value store (Redis or in-process): sessions, challenges, short-lived data. */
  store: KeyValueStore;
  sessions: SessionStore;
  /** Callers' last write positions for read-your-writes across instances; undefined without read replicas. */
  writePositions: WritePositions | undefined;
  /** JSON bodies of hot reads keyed by version (see docs/caching.md); bypassed while its store fails. */
  responseCache: ResponseCache;
  didResolver: DidResolver;
  /** Verifies proofs of DID control that answer login challenges. */
  proofs: ProofVerifier;
  /** The chain events are anchored on, and the anchoring worker (see docs/ledger.md). */
  ledger: Ledger;
  /** Live events: the bus between writers and streams, the per-user stream bound (see docs/events.md). */
  events: EventsRuntime;
  /** The key-holding enclave process: data keys, recorder signatures, attestation, confidential terms (docs/security.md). */
  enclave: Enclave;
  /** Uploaded documents' blob store and limit (docs/documents.md). */
  files: FileStorage;
  /** The server's public URL (known once it listens). */
  publicUrl(): string;
  /** Structured JSON logs (pino); credentials are redacted from whatever is logged. */
  logger: Logger;
  /** This instance's Prometheus metrics (GET /metrics). */
  metrics: Metrics;
  /** Webhook endpoints' SSRF allow-list and this instance's delivery worker (docs/webhooks.md). */
  webhooks: Webhooks;
  /** Aborted when the server starts shutting down: long-lived streams (SSE) end so the drain can finish. */
  closing: AbortSignal;
}

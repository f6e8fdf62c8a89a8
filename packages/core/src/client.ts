import createFetchClient, { type Client } from 'openapi-fetch';
import { clientHeaders } from '#platform';
import { type AuthToken, type CmsAuth, createAuthManager } from './auth/auth-api.js';
import { memoryTokenStorage, type TokenStorage } from './auth/token-storage.js';
import { errorFromResponse } from './errors.js';
import { createEventsResources, type EventsResources } from './events/subscribe-events.js';
import type { components, paths } from './generated/schema.js';
import { type AccountResources, createAccountResources } from './resources/accounts.js';
import { type AdminResources, createAdminResources } from './resources/admin.js';
import type { Api } from './resources/api.js';
import { type AuditResources, createAuditResources } from './resources/audit.js';
import { type ContractResources, createContractResources } from './resources/contracts.js';
import { createFileResources, type FileResources } from './resources/files.js';
import { createLedgerResources, type LedgerResources } from './resources/ledger.js';
import { createTemplateResources, type TemplateResources } from './resources/templates.js';
import { createWebhookResources, type WebhookResources } from './resources/webhooks.js';
import { isMutating, newIdempotencyKey } from './transport/idempotency-key.js';
import type { RequestOptions } from './transport/request-options.js';
import { parseRetryAfter } from './transport/retry-policy.js';
import { createRetryingFetch } from './transport/retrying-fetch.js';

export type { AuthToken };
export type ServerStatus = components['schemas']['ServerStatus'];

export interface CmsClientOptions {
  /** Base URL of the CMS server, e.g. `http://localhost:8080`. */
  baseUrl: string;
  /**
   * Access token to send as `Authorization: Bearer`. `auth.login` sets it. Takes precedence over `tokenStorage`.
   * @default undefined
   */
  accessToken?: string;
  /**
   * Refresh token of an earlier login. The client refreshes shortly before the access token expires,
   * and once when a request's access token is rejected as invalid or expired, then retries the request.
   * @default undefined
   */
  refreshToken?: string;
  /**
   * Where tokens are kept: read before the first request, written on every login, refresh and logout.
   * `memoryTokenStorage()`, `webStorageTokenStorage()` (browsers), `fileTokenStorage(path)` (Node), or your own.
   * @default memoryTokenStorage()
   */
  tokenStorage?: TokenStorage;
  /**
   * Called with every new token pair (login, refresh) and with `undefined` on logout or when the
   * session ends. Refresh tokens are single use: persist the newest one here (or use `tokenStorage`).
   * @default undefined
   */
  onTokens?: (token: AuthToken | undefined) => void;
  /**
   * Retries of a failed call after the first attempt: reads, and writes (which always carry an
   * `Idempotency-Key`), on network errors, timeouts, 408/429/502/503/504 and 409
   * `idempotency_key_in_use`. Waits grow 0.5, 1, 2, 4, 4 s (each with jitter, never shorter than the
   * server's `Retry-After`): the default outlasts a server, Redis or PostgreSQL restart (about 6–12 s
   * in all). Per call: `{ maxRetries }`.
   * @default 5
   */
  maxRetries?: number;
  /**
   * Milliseconds each attempt may wait for the response headers before failing with `CmsTimeoutError`.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * The `fetch` to use (tests, proxies, instrumentation).
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /**
   * Extra headers sent with every request.
   * @default {}
   */
  headers?: Record<string, string>;
}

const ALLOWED_OPTIONS = new Set<string>([
  'baseUrl',
  'accessToken',
  'refreshToken',
  'tokenStorage',
  'onTokens',
  'maxRetries',
  'timeoutMs',
  'fetch',
  'headers',
]);
const DEFAULT_MAX_RETRIES = 5;
const DEFAULT_TIMEOUT_MS = 30_000;
/** Refresh when the access token has less than this left, so a request never leaves with a token about to expire. */
const REFRESH_LEEWAY_MS = 60_000;

export interface CmsClient extends AccountResources {
  auth: CmsAuth;
  contracts: ContractResources;
  /** Contract templates: typed variables, role placeholders, immutable versions (docs/templates.md). */
  templates: TemplateResources;
  /** Documents, addressed by their SHA-256: uploads hashed here, downloads checked here (docs/documents.md). */
  files: FileResources;
  /** Ledger status, batches and event proofs; check proofs on chain with `verifyAnchoredEvent`. */
  ledger: LedgerResources;
  /** Live contract events (Server-Sent Events), resumable; see docs/events.md. */
  events: EventsResources;
  /** Webhook endpoints, secrets, delivery log, retry and replay (docs/webhooks.md). */
  webhooks: WebhookResources;
  /** Every organization of the deployment, for its operators (`CMS_OPERATOR_DIDS`; docs/operations.md). */
  admin: AdminResources;
  /** The organization's audit trail: events, the server's chain check, the signed export (docs/compliance.md). */
  audit: AuditResources;
  /** Version, database and chain of the server. */
  status(options?: RequestOptions): Promise<ServerStatus>;
  /** The underlying typed `openapi-fetch` client (with the client's auth, retries and timeouts), for operations without a helper yet. */
  readonly raw: Client<paths>;
}

/**
 * Creates a client for a CMS server.
 * @example
 * const cms = createCmsClient({ baseUrl: 'http://localhost:8080' });
 * await cms.auth.login(await didKeySigner(privateKeyHex));
 * const contract = await cms.contracts.create({ title: 'NDA' });
 */
export function createCmsClient(options: CmsClientOptions): CmsClient {
  const unknown = Object.keys(options).filter((k) => !ALLOWED_OPTIONS.has(k));
  if (unknown.length)
    throw new TypeError(
      `createCmsClient: unknown option(s) ${unknown.join(', ')}; allowed: ${[...ALLOWED_OPTIONS].join(', ')}`,
    );
  if (typeof options.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) {
    throw new TypeError('createCmsClient: baseUrl must be an http(s) URL');
  }
  if (options.maxRetries !== undefined && !(Number.isInteger(options.maxRetries) && options.maxRetries >= 0)) {
    throw new TypeError('createCmsClient: maxRetries must be a non-negative integer');
  }
  if (options.timeoutMs !== undefined && !(Number.isInteger(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new TypeError('createCmsClient: timeoutMs must be a positive integer (milliseconds)');
  }
  const defaults = {
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  const retryingFetch = createRetryingFetch({ fetch: () => options.fetch ?? globalThis.fetch.bind(globalThis) });

  /** Everything one call goes through: idempotency key, headers, access token (refreshed when due), retries, refresh on invalid_token. */
  const send = async (request: Request, call: RequestOptions = {}): Promise<Response> => {
    if (isMutating(request.method) && !request.headers.has('idempotency-key'))
      request.headers.set('idempotency-key', call.idempotencyKey ?? newIdempotencyKey());
    for (const [name, value] of Object.entries(call.headers ?? {})) request.headers.set(name, value);
    // `raw` calls pass their signal on the request itself (openapi-fetch puts `signal` there).
    const resolved = {
      signal: call.signal ?? request.signal,
      timeoutMs: call.timeoutMs ?? defaults.timeoutMs,
      maxRetries: call.maxRetries ?? defaults.maxRetries,
    };
    const isAuthCall =
      new URL(request.url).pathname.includes('/v1/auth/') &&
      !new URL(request.url).pathname.includes('/v1/auth/sessions');
    const ownToken = !request.headers.has('authorization');
    const sentToken = ownToken
      ? isAuthCall
        ? authManager.auth.accessToken
        : await authManager.currentAccessToken()
      : undefined;
    if (sentToken) request.headers.set('authorization', `Bearer ${sentToken}`);
    // Kept to send again once after a refresh; never for the auth calls themselves.
    const retry = ownToken && !isAuthCall && authManager.canRefresh ? request.clone() : undefined;
    const response = await retryingFetch(request, resolved);
    if (response.status !== 401 || !retry || !(await isInvalidToken(response))) return response;
    // Refreshed by another call meanwhile: its new token is tried without spending another refresh token.
    const refreshed = authManager.auth.accessToken !== sentToken || (await authManager.refreshOnce());
    if (!refreshed || !authManager.auth.accessToken) return response;
    retry.headers.set('authorization', `Bearer ${authManager.auth.accessToken}`);
    return retryingFetch(retry, resolved);
  };

  const raw = createFetchClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { ...clientHeaders(), ...options.headers },
    fetch: (request: Request) => send(request),
  });

  const unwrap = async <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
    const { data, error, response } = await call;
    if (!response.ok || data === undefined) {
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      throw errorFromResponse(
        response.status,
        error,
        response.headers.get('x-request-id') ?? undefined,
        retryAfter === undefined ? undefined : Math.ceil(retryAfter / 1000),
      );
    }
    return data;
  };
  const api: Api = {
    raw,
    unwrap,
    call: (callOptions) => ({ fetch: (request: Request) => send(request, callOptions) }),
  };

  const authManager = createAuthManager({
    ...api,
    storage: options.tokenStorage ?? memoryTokenStorage(),
    initial: { accessToken: options.accessToken, refreshToken: options.refreshToken },
    onTokens: options.onTokens,
    refreshLeewayMs: REFRESH_LEEWAY_MS,
  });

  return {
    auth: authManager.auth,
    ...createAccountResources(api),
    contracts: createContractResources(api),
    templates: createTemplateResources(api),
    files: createFileResources(api),
    ledger: createLedgerResources(api),
    events: createEventsResources(api),
    webhooks: createWebhookResources(api),
    admin: createAdminResources(api),
    audit: createAuditResources(api),
    status: (callOptions) => unwrap(raw.GET('/v1/status', api.call(callOptions))),
    raw,
  };
}

/** An expired or otherwise invalid access token, as opposed to a missing one or a refused refresh. */
async function isInvalidToken(response: Response): Promise<boolean> {
  try {
    return ((await response.clone().json()) as { code?: unknown }).code === 'invalid_token';
  } catch {
    return false;
  }
}

import createFetchClient, { type Client } from 'openapi-fetch';
import { createAuthApi, type AuthState, type AuthToken, type CmsAuth } from './auth/auth-api.js';
import { CmsConnectionError, errorFromResponse } from './errors.js';
import { createEventsResources, type EventsResources } from './events/subscribe-events.js';
import type { components, paths } from './generated/schema.js';
import { createAccountResources, type AccountResources } from './resources/accounts.js';
import { createContractResources, type ContractResources } from './resources/contracts.js';
import { createLedgerResources, type LedgerResources } from './resources/ledger.js';

export type { AuthToken };
export type ServerStatus = components['schemas']['ServerStatus'];

export interface CmsClientOptions {
  /** Base URL of the CMS server, e.g. `http://localhost:8080`. */
  baseUrl: string;
  /**
   * Access token to send as `Authorization: Bearer`. `auth.login` sets it.
   * @default undefined
   */
  accessToken?: string;
  /**
   * Refresh token of an earlier login. When a request's access token is rejected as invalid or
   * expired, the client refreshes once and retries the request.
   * @default undefined
   */
  refreshToken?: string;
  /**
   * Called with every new token pair (login, refresh) and with `undefined` on logout or when the
   * session ends. Refresh tokens are single use: persist the newest one here.
   * @default undefined
   */
  onTokens?: (token: AuthToken | undefined) => void;
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

const ALLOWED_OPTIONS = new Set<string>(['baseUrl', 'accessToken', 'refreshToken', 'onTokens', 'fetch', 'headers']);

export interface CmsClient extends AccountResources {
  auth: CmsAuth;
  contracts: ContractResources;
  /** Ledger status, batches and event proofs; check proofs on chain with `verifyAnchoredEvent`. */
  ledger: LedgerResources;
  /** Live contract events (Server-Sent Events), resumable; see docs/events.md. */
  events: EventsResources;
  /** Version, database and chain of the server. */
  status(): Promise<ServerStatus>;
  /** The underlying typed `openapi-fetch` client, for operations without a helper yet. */
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
  if (unknown.length) throw new TypeError(`createCmsClient: unknown option(s) ${unknown.join(', ')}; allowed: ${[...ALLOWED_OPTIONS].join(', ')}`);
  if (typeof options.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) {
    throw new TypeError('createCmsClient: baseUrl must be an http(s) URL');
  }
  const state: AuthState = { accessToken: options.accessToken, refreshToken: options.refreshToken };
  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const send = async (request: Request) => {
    try {
      return await baseFetch(request);
    } catch (cause) {
      throw new CmsConnectionError(`Could not reach the CMS server at ${new URL(request.url).origin}`, { code: 'connection_error', cause });
    }
  };
  const raw = createFetchClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: options.headers,
    fetch: async (request: Request) => {
      const ownToken = !request.headers.has('authorization');
      if (ownToken && state.accessToken) request.headers.set('authorization', `Bearer ${state.accessToken}`);
      // Kept to send again once after a refresh; never for the auth calls themselves.
      const retry = ownToken && state.refreshToken && !new URL(request.url).pathname.endsWith('/v1/auth/refresh') ? request.clone() : undefined;
      const response = await send(request);
      if (response.status !== 401 || !retry || !(await isInvalidToken(response)) || !(await refreshOnce())) return response;
      retry.headers.set('authorization', `Bearer ${state.accessToken}`);
      return send(retry);
    },
  });

  const unwrap = async <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
    const { data, error, response } = await call;
    if (!response.ok || data === undefined) {
      throw errorFromResponse(response.status, error, response.headers.get('x-request-id') ?? undefined);
    }
    return data;
  };

  const { auth, refreshOnce } = createAuthApi({ raw, unwrap, state, onTokens: options.onTokens });


  return {
    auth,
    ...createAccountResources(raw, unwrap),
    contracts: createContractResources(raw, unwrap),
    ledger: createLedgerResources(raw, unwrap),
    events: createEventsResources(raw),
    status: () => unwrap(raw.GET('/v1/status')),
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

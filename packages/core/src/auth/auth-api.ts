// The client's login state and the calls that change it: login with a DID signer, refresh (proactively
// shortly before the access token expires, and when a request's token is rejected; concurrent callers
// share one refresh), logout. Tokens live in a pluggable TokenStorage; `onTokens` reports every change.
import type { Client } from 'openapi-fetch';
import { isCmsError } from '../errors.js';
import type { paths } from '../generated/schema.js';
import type { RequestOptions } from '../transport/request-options.js';
import { accessTokenExpiry } from './access-token-expiry.js';
import { createDidProof, type DidProofOptions, type LoginSigner, signerDid } from './did-proof.js';
import type { AuthToken, TokenStorage } from './token-storage.js';

export type { AuthToken };

export interface LoginOptions extends DidProofOptions, RequestOptions {
  /** Log in to this organization instead of the user's first one. */
  organizationId?: string;
}

export interface CmsAuth {
  /**
   * Logs in as `signer`'s DID (challenge → signed proof → tokens); later calls use the tokens.
   * `signer` is a did:key signer (`didKeySigner`) or an Ethereum account (did:pkh, Sign-In with Ethereum).
   */
  login(signer: LoginSigner, options?: LoginOptions): Promise<AuthToken>;
  /** Exchanges the refresh token for a new pair; pass `organizationId` to switch organization. */
  refresh(options?: { organizationId?: string } & RequestOptions): Promise<AuthToken>;
  /** Revokes the session on the server (when logged in) and forgets the tokens, also in the token storage. */
  logout(options?: RequestOptions): Promise<void>;
  /** The current access token, if logged in (after the first call when tokens come from a storage). */
  readonly accessToken: string | undefined;
  /** The current refresh token, if logged in. Single use: persist the newest one. */
  readonly refreshToken: string | undefined;
}

export interface AuthState {
  accessToken: string | undefined;
  refreshToken: string | undefined;
  /** When the access token expires (ms since the epoch), if known. */
  expiresAt: number | undefined;
}

type Unwrap = <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>) => Promise<T>;

export interface AuthManager {
  auth: CmsAuth;
  /** The tokens to send: loaded from storage on first use, refreshed first when about to expire. */
  currentAccessToken(): Promise<string | undefined>;
  /** One refresh shared by every request that found its access token rejected at the same time; false when it failed. */
  refreshOnce(): Promise<boolean>;
  readonly canRefresh: boolean;
}

export interface AuthManagerDeps {
  raw: Client<paths>;
  unwrap: Unwrap;
  /** Per-call transport options, as openapi-fetch init fields. */
  call(options: RequestOptions | undefined): { fetch: (request: Request) => Promise<Response> };
  storage: TokenStorage;
  initial: { accessToken?: string; refreshToken?: string };
  onTokens: ((token: AuthToken | undefined) => void) | undefined;
  /** Refresh when the access token has less than this left. */
  refreshLeewayMs: number;
  now?: () => number;
}

const { assign } = Object;

export function createAuthManager(deps: AuthManagerDeps): AuthManager {
  const { raw, unwrap, call } = deps;
  const now = deps.now ?? Date.now;
  const state: AuthState = { accessToken: undefined, refreshToken: undefined, expiresAt: undefined };
  const expiryOf = (accessToken: string | undefined, expiresIn?: number) =>
    accessToken === undefined
      ? undefined
      : (accessTokenExpiry(accessToken) ?? (expiresIn === undefined ? undefined : now() + expiresIn * 1000));

  // Tokens passed as options win; otherwise the storage's, read once, before the first request.
  // `generation` counts logins, refreshes and logouts: a storage read that finishes after one of them is stale.
  let generation = 0;
  let loaded: Promise<void> | undefined;
  let loadedDone = false;
  const load = () =>
    (loaded ??= (async () => {
      const startedAt = generation;
      if (deps.initial.accessToken !== undefined || deps.initial.refreshToken !== undefined) {
        assign(state, { ...deps.initial, expiresAt: expiryOf(deps.initial.accessToken) });
      } else {
        const stored = await deps.storage.get();
        if (stored && generation === startedAt) {
          assign(state, {
            accessToken: stored.accessToken,
            refreshToken: stored.refreshToken,
            expiresAt: expiryOf(stored.accessToken, stored.expiresIn),
          });
        }
      }
      loadedDone = true;
    })());
  // Tokens passed as options are there synchronously (the async function runs to its first await).
  load().catch(() => undefined);

  const adopt = async (token: AuthToken) => {
    generation++;
    assign(state, {
      accessToken: token.accessToken,
      refreshToken: token.refreshToken,
      expiresAt: expiryOf(token.accessToken, token.expiresIn),
    });
    await deps.storage.set(token);
    deps.onTokens?.(token);
    return token;
  };
  /** Clears the tokens here at once; the returned promise also clears the storage. */
  const forget = () => {
    generation++;
    assign(state, { accessToken: undefined, refreshToken: undefined, expiresAt: undefined });
    deps.onTokens?.(undefined);
    return deps.storage.set(undefined);
  };

  const auth: CmsAuth = {
    async login(signer, options = {}) {
      const challenge = await unwrap(
        raw.POST('/v1/auth/challenge', {
          body: { did: signerDid(signer, options) },
          ...call({ ...options, idempotencyKey: undefined }),
        }),
      );
      const proof = await createDidProof(signer, challenge, options);
      const body = { ...proof, ...(options.organizationId ? { organizationId: options.organizationId } : {}) };
      return adopt(await unwrap(raw.POST('/v1/auth/token', { body, ...call(options) })));
    },
    async refresh(options = {}) {
      await load();
      const refreshToken = state.refreshToken;
      if (!refreshToken) throw new TypeError('auth.refresh: not logged in (no refresh token)');
      const { organizationId, ...requestOptions } = options;
      try {
        // Retried like any call (network errors, 503): a refresh token is single use, but the server
        // gives the token it just spent the same new pair again for a short while (its reuse grace),
        // so a retry of a refresh whose response was lost does not end the session.
        const body = { refreshToken, ...(organizationId ? { organizationId } : {}) };
        return await adopt(await unwrap(raw.POST('/v1/auth/refresh', { body, ...call(requestOptions) })));
      } catch (error) {
        // A rejected refresh token ends the session; an unreachable server or a refused organization
        // switch (403) leaves it usable.
        if (isCmsError(error) && error.status === 401 && state.refreshToken === refreshToken) await forget();
        throw error;
      }
    },
    async logout(options) {
      // Forgotten locally first, so nothing uses the tokens while the server revokes the session.
      const known = state.accessToken;
      const storedRead = known === undefined && !loadedDone ? Promise.resolve(deps.storage.get()) : undefined;
      const token = known ?? (await storedRead)?.accessToken;
      const forgotten = forget();
      if (token) {
        try {
          await raw.POST('/v1/auth/logout', {
            headers: { authorization: `Bearer ${token}` },
            ...call({ ...options, maxRetries: 0 }),
          });
        } catch {
          // Unreachable server: the tokens are gone here and expire there.
        }
      }
      await forgotten;
    },
    get accessToken() {
      return state.accessToken;
    },
    get refreshToken() {
      return state.refreshToken;
    },
  };

  let inFlight: Promise<boolean> | undefined;
  const refreshOnce = (): Promise<boolean> =>
    (inFlight ??= auth
      .refresh()
      .then(
        () => true,
        () => false,
      )
      .finally(() => {
        inFlight = undefined;
      }));

  return {
    auth,
    refreshOnce,
    get canRefresh() {
      return state.refreshToken !== undefined;
    },
    async currentAccessToken() {
      await load();
      const expiring = state.expiresAt !== undefined && state.expiresAt - now() < deps.refreshLeewayMs;
      if (expiring && state.refreshToken) await refreshOnce();
      return state.accessToken;
    },
  };
}

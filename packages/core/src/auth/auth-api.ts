// The client's login state: access and refresh tokens, and the calls that change them. Refresh tokens
// are single use, so every new pair is reported through `onTokens` for callers that persist it.
import type { Client } from 'openapi-fetch';
import { isCmsError } from '../errors.js';
import type { components, paths } from '../generated/schema.js';
import { createDidProof, signerDid, type DidProofOptions, type LoginSigner } from './did-proof.js';

export type AuthToken = components['schemas']['AuthToken'];

export interface LoginOptions extends DidProofOptions {
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
  refresh(options?: { organizationId?: string }): Promise<AuthToken>;
  /** Revokes the session on the server (when logged in) and forgets the tokens. */
  logout(): Promise<void>;
  /** The current access token, if logged in. */
  readonly accessToken: string | undefined;
  /** The current refresh token, if logged in. Single use: persist the newest one. */
  readonly refreshToken: string | undefined;
}

export interface AuthState {
  accessToken: string | undefined;
  refreshToken: string | undefined;
}

type Unwrap = <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>) => Promise<T>;

export function createAuthApi(deps: {
  raw: Client<paths>;
  unwrap: Unwrap;
  state: AuthState;
  onTokens: ((token: AuthToken | undefined) => void) | undefined;
}): { auth: CmsAuth; refreshOnce(): Promise<boolean> } {
  const { raw, unwrap, state } = deps;
  let inFlight: Promise<boolean> | undefined;
  const adopt = (token: AuthToken) => {
    state.accessToken = token.accessToken;
    state.refreshToken = token.refreshToken;
    deps.onTokens?.(token);
    return token;
  };
  const forget = () => {
    state.accessToken = undefined;
    state.refreshToken = undefined;
    deps.onTokens?.(undefined);
  };

  const auth: CmsAuth = {
    async login(signer, options = {}) {
      const challenge = await unwrap(raw.POST('/v1/auth/challenge', { body: { did: signerDid(signer, options) } }));
      const proof = await createDidProof(signer, challenge, options);
      return adopt(await unwrap(raw.POST('/v1/auth/token', { body: { ...proof, ...(options.organizationId ? { organizationId: options.organizationId } : {}) } })));
    },
    async refresh(options = {}) {
      const refreshToken = state.refreshToken;
      if (!refreshToken) throw new TypeError('auth.refresh: not logged in (no refresh token)');
      try {
        return adopt(await unwrap(raw.POST('/v1/auth/refresh', { body: { refreshToken, ...options } })));
      } catch (error) {
        // A rejected refresh token ends the session; an unreachable server or a refused organization
        // switch (403) leaves it usable.
        if (isCmsError(error) && error.status === 401) forget();
        throw error;
      }
    },
    async logout() {
      // Forgotten locally first, so nothing uses the tokens while the server revokes the session.
      const token = state.accessToken;
      forget();
      if (!token) return;
      try {
        await raw.POST('/v1/auth/logout', { headers: { authorization: `Bearer ${token}` } });
      } catch {
        // Unreachable server: the tokens are gone here and expire there.
      }
    },
    get accessToken() {
      return state.accessToken;
    },
    get refreshToken() {
      return state.refreshToken;
    },
  };
  /** One refresh shared by every request that found its access token rejected at the same time. */
  const refreshOnce = (): Promise<boolean> => {
    inFlight ??= auth
      .refresh()
      .then(() => true, () => false)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  return { auth, refreshOnce };
}

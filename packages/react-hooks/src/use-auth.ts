import type { AuthToken, LoginSigner } from '@cms/sdk';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useCmsContext } from './cms-provider.js';
import type { CmsSession } from './session-store.js';

export interface UseAuthResult extends CmsSession {
  /**
   * Logs in as `signer`'s DID (a did:key signer, or an Ethereum account for did:pkh). Logging in as someone else drops every cached query first, so the
   * previous user's data never shows; logging in again as the same DID refetches them instead.
   */
  login(signer: LoginSigner): Promise<AuthToken>;
  /** Ends the session (on the server too), forgets the tokens and clears the whole query and mutation cache. */
  logout(): void;
}

/**
 * The login state of the `CmsProvider`'s client, and the way to change it; components using it
 * (and every `@cms/react` query hook) re-render on login and logout.
 * @example
 * const { isAuthenticated, did, login, logout } = useAuth();
 * await login(await didKeySigner(privateKeyHex));
 */
export function useAuth(): UseAuthResult {
  const { client, session, sessionStore } = useCmsContext('useAuth');
  const queryClient = useQueryClient();

  const login = useCallback(
    async (signer: LoginSigner) => {
      const previous = sessionStore.getSnapshot();
      const token = await client.auth.login(signer);
      if (previous.did === token.did) {
        void queryClient.invalidateQueries();
      } else {
        queryClient.removeQueries();
      }
      sessionStore.set({ isAuthenticated: true, did: token.did });
      return token;
    },
    [client, queryClient, sessionStore],
  );

  const logout = useCallback(() => {
    // Forgets the tokens at once; revoking the session on the server finishes in the background.
    void client.auth.logout();
    queryClient.clear();
    sessionStore.set({ isAuthenticated: false, did: undefined });
  }, [client, queryClient, sessionStore]);

  return useMemo(() => ({ ...session, login, logout }), [session, login, logout]);
}

// The web UI's SDK client and its session. Tokens live in sessionStorage (this tab, cleared when it
// closes), so a reload resumes the session; the SDK refreshes the access token silently before it
// expires and once more when one is rejected. `currentToken` is who is logged in, observable by React.
import { type AuthToken, type CmsClient, createCmsClient, webStorageTokenStorage } from '@cms/sdk';
import { useSyncExternalStore } from 'react';

export const TOKEN_KEY = 'cms.web.auth';

function readStoredToken(): AuthToken | undefined {
  try {
    const text = sessionStorage.getItem(TOKEN_KEY);
    return text ? (JSON.parse(text) as AuthToken) : undefined;
  } catch {
    return undefined;
  }
}

let token = readStoredToken();
const listeners = new Set<() => void>();
const setToken = (next: AuthToken | undefined) => {
  token = next;
  for (const listener of listeners) listener();
};

/** The client of this page: same origin as the page, the server that served it. */
export function createWebClient(): CmsClient {
  return createCmsClient({
    baseUrl: location.origin,
    accessToken: token?.accessToken,
    refreshToken: token?.refreshToken,
    tokenStorage: webStorageTokenStorage(sessionStorage, TOKEN_KEY),
    onTokens: setToken,
  });
}

/** The token pair of the current session (did, organization, roles), or undefined when logged out or the session ended. */
export function useCurrentToken(): AuthToken | undefined {
  return useSyncExternalStore(
    (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    () => token,
  );
}

export const storedDid = () => token?.did;

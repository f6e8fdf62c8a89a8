// Who the SDK client is logged in as, observable by React. The SDK keeps the token but does not
// announce changes, so the store records them when they go through `useAuth`.
import type { CmsClient } from '@cms/sdk';

/** The client's login state as the hooks see it. */
export interface CmsSession {
  /** True while the client holds an access token. */
  isAuthenticated: boolean;
  /**
   * The DID logged in through `useAuth().login`; `undefined` when logged out, or when the client was
   * created with an `accessToken` and nobody has logged in through `useAuth` yet.
   */
  did: string | undefined;
}

export interface SessionStore {
  getSnapshot(): CmsSession;
  subscribe(listener: () => void): () => void;
  set(session: CmsSession): void;
}

// One store per client rather than per provider: a remounted provider (StrictMode, route changes)
// must not forget who the still-logged-in client is.
const stores = new WeakMap<CmsClient, SessionStore>();

export function sessionStoreFor(client: CmsClient, resumedDid?: string): SessionStore {
  let store = stores.get(client);
  if (!store) {
    const isAuthenticated = client.auth.accessToken !== undefined;
    store = createSessionStore({ isAuthenticated, did: isAuthenticated ? resumedDid : undefined });
    stores.set(client, store);
  }
  return store;
}

function createSessionStore(initial: CmsSession): SessionStore {
  let session = initial;
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => session,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      session = next;
      for (const listener of listeners) listener();
    },
  };
}

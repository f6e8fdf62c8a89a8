// The React context that carries the SDK client (and its login state) to the hooks.
import type { CmsClient } from '@cms/sdk';
import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useMemo, useRef, useSyncExternalStore } from 'react';
import { type CmsSession, type SessionStore, sessionStoreFor } from './session-store.js';

interface CmsContextValue {
  client: CmsClient;
  session: CmsSession;
  sessionStore: SessionStore;
}

const CmsContext = createContext<CmsContextValue | undefined>(undefined);

export interface CmsProviderProps {
  /** The SDK client every hook below calls. */
  client: CmsClient;
  /**
   * The TanStack `QueryClient` that caches CMS data for this subtree.
   * @default the one of the nearest `<QueryClientProvider>`; without one, a new `QueryClient` owned by this provider
   */
  queryClient?: QueryClient;
  /**
   * The DID of a session the client resumes (created with stored tokens, e.g. after a page reload),
   * so `useAuth().did` knows who is logged in before anyone calls `login`.
   * @default undefined
   */
  did?: string;
  children?: ReactNode;
}

/**
 * Makes an SDK client available to the `@cms/react` hooks below it.
 *
 * Inside an existing `<QueryClientProvider>` it shares that cache. Pass `queryClient` to pick one
 * explicitly; with neither, it creates a `QueryClient` with TanStack's defaults.
 * @example
 * const cms = createCmsClient({ baseUrl: 'https://cms.example.com' });
 * <CmsProvider client={cms}><App /></CmsProvider>
 */
export function CmsProvider({ client, queryClient, did, children }: CmsProviderProps) {
  const ambient = useContext(QueryClientContext);
  const own = useRef<QueryClient | null>(null);
  const resolved = queryClient ?? ambient ?? (own.current ??= new QueryClient());

  const sessionStore = sessionStoreFor(client, did);
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.getSnapshot, sessionStore.getSnapshot);
  const value = useMemo(() => ({ client, session, sessionStore }), [client, session, sessionStore]);

  const tree = <CmsContext.Provider value={value}>{children}</CmsContext.Provider>;
  return resolved === ambient ? tree : <QueryClientProvider client={resolved}>{tree}</QueryClientProvider>;
}

/** The context of the nearest `CmsProvider`; throws, naming `hook`, outside of one. */
export function useCmsContext(hook: string): CmsContextValue {
  const value = useContext(CmsContext);
  if (!value) throw new Error(`${hook} must be used inside a <CmsProvider client={…}>.`);
  return value;
}

/**
 * The SDK client of the nearest `CmsProvider`, for calls without a hook of their own.
 * @example
 * const cms = useCmsClient();
 * const status = useQuery({ queryKey: ['cms', 'status'], queryFn: () => cms.status() });
 */
export function useCmsClient(): CmsClient {
  return useCmsContext('useCmsClient').client;
}

// Browser entry: the SDK client (resuming a session kept in this tab), the identity from IndexedDB, the router.
import { CmsProvider } from '@cms/react';
import { isCmsError } from '@cms/sdk';
import { QueryClient } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { createRouter } from './app/routes';
import { createWebClient, storedDid } from './app/session';
import { applyTheme, storedTheme } from './components/theme';
import { IdentityProvider } from './identity/identity-context';
import './styles.css';

applyTheme(storedTheme());
const client = createWebClient();
const queryClient = new QueryClient({
  defaultOptions: {
    // A session that ended (refresh refused) sends the user to sign in instead of showing errors everywhere.
    queries: { staleTime: 5_000, refetchOnWindowFocus: true, throwOnError: false },
  },
});
queryClient.getQueryCache().subscribe((event) => {
  const error = event.query.state.error;
  if (
    event.type === 'updated' &&
    isCmsError(error) &&
    error.status === 401 &&
    client.auth.accessToken === undefined &&
    !location.pathname.startsWith('/login') &&
    location.pathname !== '/verify'
  ) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
  }
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <CmsProvider client={client} queryClient={queryClient} did={storedDid()}>
      <IdentityProvider>
        <RouterProvider router={createRouter()} />
      </IdentityProvider>
    </CmsProvider>
  </StrictMode>,
);

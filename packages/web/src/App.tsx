// The page: product header, the live server status, and links to the API docs.
import { StatusErrorPanel } from './StatusErrorPanel';
import { StatusPanel } from './StatusPanel';
import type { FetchLike } from './fetch-status';
import { useServerStatus } from './use-server-status';

export interface AppProps {
  /** Used to call the server; tests pass a stub. */
  fetch: FetchLike;
  /** @default 10_000 */
  pollIntervalMs?: number;
}

export function App({ fetch, pollIntervalMs = 10_000 }: AppProps) {
  const state = useServerStatus(fetch, pollIntervalMs);
  return (
    <main className="page">
      <header>
        <h1>CMS — Contract Management System</h1>
      </header>
      {state.kind === 'loading' && (
        <p className="panel" role="status">
          Loading server status…
        </p>
      )}
      {state.kind === 'ready' && <StatusPanel status={state.status} />}
      {state.kind === 'error' && <StatusErrorPanel error={state.error} />}
      <nav className="links" aria-label="API">
        <a href="/docs">API docs</a>
        <a href="/openapi.json">OpenAPI document</a>
      </nav>
    </main>
  );
}

// React hook: loads the server status once, then again every `pollIntervalMs`.
import { useEffect, useState } from 'react';
import { fetchStatus, StatusError, type FetchLike } from './fetch-status';
import type { ServerStatus } from './server-status';

export type StatusState =
  | { kind: 'loading' }
  | { kind: 'ready'; status: ServerStatus }
  | { kind: 'error'; error: StatusError };

export function useServerStatus(fetchFn: FetchLike, pollIntervalMs: number): StatusState {
  const [state, setState] = useState<StatusState>({ kind: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    const load = () => {
      fetchStatus(fetchFn, controller.signal).then(
        (status) => {
          if (!controller.signal.aborted) setState({ kind: 'ready', status });
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setState({ kind: 'error', error: toStatusError(error) });
        },
      );
    };
    load();
    const timer = setInterval(load, pollIntervalMs);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [fetchFn, pollIntervalMs]);

  return state;
}

function toStatusError(error: unknown): StatusError {
  if (error instanceof StatusError) return error;
  return new StatusError(error instanceof Error ? error.message : String(error), 'invalid-response');
}

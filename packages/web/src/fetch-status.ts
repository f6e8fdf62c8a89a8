// Fetches GET /v1/status and turns every failure into a StatusError the page can show.
import type { Problem, ServerStatus } from './server-status';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Why the status could not be read: the server answered with an error, or could not be reached. */
export class StatusError extends Error {
  override name = 'StatusError';
  constructor(
    message: string,
    readonly kind: 'problem' | 'network' | 'invalid-response',
    readonly status?: number,
    readonly code?: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export const STATUS_PATH = '/v1/status';

/** Reads the server's status; rejects with a StatusError (or the AbortError when `signal` aborts). */
export async function fetchStatus(fetchFn: FetchLike, signal?: AbortSignal): Promise<ServerStatus> {
  let response: Response;
  try {
    response = await fetchFn(STATUS_PATH, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new StatusError('Cannot reach the CMS server. Check that it is running.', 'network');
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const problem = isProblem(body) ? body : undefined;
    throw new StatusError(
      problem?.title ?? `The server answered HTTP ${response.status}.`,
      'problem',
      response.status,
      problem?.code,
      problem?.requestId,
    );
  }
  if (!isServerStatus(body)) {
    throw new StatusError('The server sent a status in an unexpected shape.', 'invalid-response', response.status);
  }
  return body;
}

function isProblem(body: unknown): body is Problem {
  return isRecord(body) && typeof body.title === 'string' && typeof body.code === 'string';
}

function isServerStatus(body: unknown): body is ServerStatus {
  return (
    isRecord(body) &&
    typeof body.status === 'string' &&
    typeof body.version === 'string' &&
    isRecord(body.database) &&
    isRecord(body.chain)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

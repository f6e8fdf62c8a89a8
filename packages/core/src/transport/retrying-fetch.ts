// One call on the wire: attempts with a per-attempt timeout, retried when that is safe and useful,
// stopped at once by the caller's AbortSignal. Errors without a response become CmsConnectionError
// (or CmsTimeoutError); an abort rejects with the signal's reason, as `fetch` itself does.
import { CmsConnectionError, CmsTimeoutError } from '../errors.js';
import { abortableSleep } from './abortable-sleep.js';
import type { ResolvedRequestOptions } from './request-options.js';
import { isRetryableResponse, isRetrySafe, parseRetryAfter, retryDelayMs } from './retry-policy.js';

export interface RetryingFetchDeps {
  /** Sends one attempt. Resolved per call so that instrumentation installed later (msw) is seen. */
  fetch: () => (request: Request) => Promise<Response>;
  /** Waits between attempts; injectable so tests need no wall clock. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** Source of jitter in [0, 1). */
  random?: () => number;
  now?: () => number;
}

export type RetryingFetch = (request: Request, options: ResolvedRequestOptions) => Promise<Response>;

export function createRetryingFetch(deps: RetryingFetchDeps): RetryingFetch {
  const sleep = deps.sleep ?? abortableSleep;
  const now = deps.now ?? Date.now;

  async function attempt(request: Request, { signal, timeoutMs }: ResolvedRequestOptions): Promise<Response> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await deps.fetch()(new Request(request, { signal: controller.signal }));
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      // The URL's origin only: paths and query strings may carry identifiers, headers carry tokens.
      const origin = new URL(request.url).origin;
      if (timedOut)
        throw new CmsTimeoutError(`No response from the CMS server at ${origin} within ${timeoutMs} ms`, {
          code: 'timeout',
          cause,
        });
      throw new CmsConnectionError(`Could not reach the CMS server at ${origin}`, { code: 'connection_error', cause });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return async (request, options) => {
    const safe = isRetrySafe(request);
    for (let retry = 0; ; retry++) {
      if (options.signal?.aborted) throw options.signal.reason;
      const mayRetry = safe && retry < options.maxRetries;
      let response: Response;
      try {
        response = await attempt(request.clone(), options);
      } catch (error) {
        if (!mayRetry || !(error instanceof CmsConnectionError)) throw error;
        await sleep(retryDelayMs(retry + 1, undefined, deps.random), options.signal);
        continue;
      }
      if (!mayRetry || !(await isRetryableResponse(response))) return response;
      const delay = retryDelayMs(retry + 1, parseRetryAfter(response.headers.get('retry-after'), now()), deps.random);
      await response.body?.cancel();
      await sleep(delay, options.signal);
    }
  };
}

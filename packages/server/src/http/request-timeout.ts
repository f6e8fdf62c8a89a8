// Bounds how long a request may run: past `timeoutMs` the caller gets 503 `request_timeout` instead of
// a connection that hangs. The handler is not cancelled (a mutation may still commit; Idempotency-Key
// retries then get its result). Long-lived streams are exempt.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors/app-error.js';

/** The live event stream stays open by design. */
const EXEMPT_PATHS = new Set(['/v1/events']);

export function requestTimeout(timeoutMs: number): MiddlewareHandler {
  return async (c, next) => {
    if (EXEMPT_PATHS.has(c.req.path)) return next();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new AppError('request_timeout', `The request took longer than ${timeoutMs} ms.`, {
              headers: { 'retry-after': '1' },
            }),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([next(), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };
}

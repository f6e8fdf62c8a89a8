// Turns anything thrown while handling a request into an application/problem+json response.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { KeyValueStoreUnavailableError } from '../cache/key-value-store.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/database-unavailable.js';
import { AppError, type ErrorCode, problemBody } from '../errors/app-error.js';
import { BlobStoreUnavailableError } from '../files/blob-store.js';
import type { AppEnv } from './app-env.js';

export function problemResponse(c: Context<AppEnv>, error: AppError): Response {
  const body = problemBody(error.code, {
    detail: error.detail,
    errors: error.extra.errors,
    requestId: c.get('requestId'),
    instance: new URL(c.req.url).pathname,
  });
  // Through the context, so headers set earlier in the chain (request id, …) survive.
  return c.body(JSON.stringify(body), body.status as never, {
    ...error.extra.headers,
    'content-type': 'application/problem+json',
  });
}

/** Hono's built-in exceptions (body limit, …) mapped onto catalogue codes. */
const HTTP_EXCEPTION_CODES: Record<number, ErrorCode> = {
  400: 'malformed_request',
  401: 'unauthenticated',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof KeyValueStoreUnavailableError)
    return new AppError('service_unavailable', 'The session store is unavailable; retry shortly.', {
      headers: { 'retry-after': '1' },
    });
  if (error instanceof BlobStoreUnavailableError)
    return new AppError('service_unavailable', 'The file store is unavailable; retry shortly.', {
      headers: { 'retry-after': '1' },
    });
  if (isDatabaseUnavailable(error)) {
    return new AppError('database_unavailable', 'The database cannot be reached; retry shortly.', {
      headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
    });
  }
  if (error instanceof HTTPException) {
    const code = HTTP_EXCEPTION_CODES[error.status];
    if (code) return new AppError(code);
  }
  return new AppError('internal_error');
}

// Typed errors for every failure a call can end in. Recognise them with `instanceof` or by `name`
// (`isCmsError`), which also works across bundles that each carry their own copy of the SDK.
import { type ErrorCode, errorCatalogue } from './generated/errors.js';

export type { ErrorCode };

/** RFC 9457 problem details as the server sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode | (string & {});
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
  [key: string]: unknown;
}

export interface CmsErrorOptions {
  status?: number;
  code: string;
  requestId?: string;
  details?: Problem;
  cause?: unknown;
  /** `Retry-After` of a 429, in seconds. */
  retryAfterSeconds?: number;
}

/** Where the codes the SDK raises without a server answer are described. */
const CLIENT_SIDE_ERRORS_DOC = 'docs/sdk.md#errors-raised-by-the-sdk';

/** Base class of every error the SDK throws. */
export class CmsError extends Error {
  override name = 'CmsError';
  /** HTTP status, or `undefined` when no response arrived. */
  readonly status: number | undefined;
  /** Stable machine code from the server's catalogue, e.g. `not_found`. */
  readonly code: string;
  /** The server's request id (`X-Request-Id`), to quote when reporting a problem. */
  readonly requestId: string | undefined;
  /** The full problem document. */
  readonly details: Problem | undefined;
  /**
   * Documentation page of `code`, relative to the repository root: `docs/errors/<code>.md` for the
   * server's codes, the SDK guide's section for codes the SDK raises itself (`timeout`, `connection_error`, …).
   */
  readonly docsPath: string;

  constructor(message: string, options: CmsErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
    this.requestId = options.requestId;
    this.details = options.details;
    this.docsPath = Object.hasOwn(errorCatalogue, options.code)
      ? `docs/errors/${options.code}.md`
      : CLIENT_SIDE_ERRORS_DOC;
  }
}

/** 400, 413, 415, 416, 422: the request was rejected as invalid; fix it before retrying. */
export class CmsValidationError extends CmsError {
  override name = 'CmsValidationError';
}
/** 401: no valid credentials; log in again. */
export class CmsAuthenticationError extends CmsError {
  override name = 'CmsAuthenticationError';
}
/** 403: authenticated, but not allowed. */
export class CmsPermissionError extends CmsError {
  override name = 'CmsPermissionError';
}
/** 404: the resource does not exist (or is not visible to the caller). */
export class CmsNotFoundError extends CmsError {
  override name = 'CmsNotFoundError';
}
/** 409, 412: the request conflicts with the resource's current state. */
export class CmsConflictError extends CmsError {
  override name = 'CmsConflictError';
}
/** 429: too many requests. */
export class CmsRateLimitError extends CmsError {
  override name = 'CmsRateLimitError';
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, options: CmsErrorOptions) {
    super(message, options);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
/** 5xx and any other unexpected status: the server failed. */
export class CmsApiError extends CmsError {
  override name = 'CmsApiError';
}
/** Something the SDK checked itself does not add up (a content hash, a signature, a proof): not sent. */
export class CmsIntegrityError extends CmsError {
  override name = 'CmsIntegrityError';
}
/** No response: network failure, DNS, refused connection, timeout. */
export class CmsConnectionError extends CmsError {
  override name = 'CmsConnectionError';
}
/** No response within the call's `timeoutMs`; a connection error, retried like one. */
export class CmsTimeoutError extends CmsConnectionError {
  override name = 'CmsTimeoutError';
}

const CLASS_BY_STATUS: Record<number, typeof CmsError> = {
  400: CmsValidationError,
  401: CmsAuthenticationError,
  403: CmsPermissionError,
  404: CmsNotFoundError,
  409: CmsConflictError,
  412: CmsConflictError,
  413: CmsValidationError,
  415: CmsValidationError,
  416: CmsValidationError,
  422: CmsValidationError,
  429: CmsRateLimitError,
};

/** The error class for an HTTP status. */
export function errorClassForStatus(status: number): typeof CmsError {
  return CLASS_BY_STATUS[status] ?? CmsApiError;
}

/**
 * Builds the typed error for an error response; tolerates bodies that are not problem documents.
 * `retryAfterSeconds` is the response's `Retry-After`, kept on a {@link CmsRateLimitError}.
 */
export function errorFromResponse(
  status: number,
  body: unknown,
  requestId: string | undefined,
  retryAfterSeconds?: number,
): CmsError {
  const problem = isProblem(body) ? body : undefined;
  const code = problem?.code ?? fallbackCode(status);
  const message = problem ? (problem.detail ? `${problem.title} ${problem.detail}` : problem.title) : `HTTP ${status}`;
  const Class = errorClassForStatus(status);
  return new Class(message, {
    status,
    code,
    requestId: problem?.requestId ?? requestId,
    details: problem,
    retryAfterSeconds,
  });
}

function fallbackCode(status: number): string {
  const match = Object.entries(errorCatalogue).find(([, e]) => e.status === status);
  return match ? match[0] : status >= 500 ? 'internal_error' : 'unknown_error';
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Problem).code === 'string' &&
    typeof (body as Problem).status === 'number'
  );
}

/** True for any SDK error, including one thrown by another copy of the SDK. */
export function isCmsError(error: unknown): error is CmsError {
  return (
    error instanceof CmsError ||
    (error instanceof Error && typeof (error as CmsError).code === 'string' && error.name.startsWith('Cms'))
  );
}

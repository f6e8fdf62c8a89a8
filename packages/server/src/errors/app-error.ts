// The one error type handlers and services throw. Its `code` comes from the spec's catalogue, which
// also fixes the HTTP status, so the SDK decodes exactly what the server sends.
import { type ErrorCode, errorCatalogue } from '@cms/sdk';

export type { ErrorCode };

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    /** Human-readable, safe to show to the caller: never include secrets or tokens. */
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? errorCatalogue[code].title);
    this.status = errorCatalogue[code].status;
  }
}

/** The RFC 9457 body for an error code. */
export function problemBody(
  code: ErrorCode,
  options: { detail?: string; requestId?: string; instance?: string; errors?: FieldError[] },
) {
  const { status, title } = errorCatalogue[code];
  return {
    type: `urn:cms:problem:${code}`,
    title,
    status,
    code,
    ...(options.detail !== undefined && { detail: options.detail }),
    ...(options.instance !== undefined && { instance: options.instance }),
    ...(options.requestId !== undefined && { requestId: options.requestId }),
    ...(options.errors !== undefined && { errors: options.errors }),
  };
}

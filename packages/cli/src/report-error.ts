// Turns whatever a command threw into stderr output and a documented, stable exit status.
import { type CmsError, isCmsError } from '@cms/sdk';
import { CommanderError } from 'commander';
import { CliFailure, PartialFailure, UsageError } from './cli-errors.js';
import type { CliIo } from './io.js';
import { UNREACHABLE_HINT } from './session.js';

/** Exit statuses of `cms` (docs/cli.md lists them; scripts rely on them). */
export const EXIT_CODES = {
  ok: 0,
  /** Any other failure: a server error (5xx), a rate limit that outlasted the retries, a local problem. */
  failure: 1,
  /** Bad command line: unknown command or option, bad value, unreadable input file. */
  usage: 2,
  /** Not logged in, session expired or rejected (401), or not allowed (403). */
  auth: 3,
  /** The resource does not exist (404). */
  notFound: 4,
  /** Conflicts with the resource's state (409, 412): e.g. signing a voided contract, a stale version. */
  conflict: 5,
  /** The server rejected the input (400, 413, 415, 422). */
  validation: 6,
  /** No answer: connection refused, DNS, timeout, or the server unavailable (502, 503, 504). */
  network: 7,
  /** A bulk run finished but some rows failed (see its report). */
  partial: 8,
} as const;

interface ErrorReport {
  code: string;
  status: number | null;
  /** The problem's title (what kind of error), when the server sent one. */
  title: string | null;
  /** The problem's detail (what happened in this case), when the server sent one. */
  detail: string | null;
  /** Title and detail in one sentence (or the CLI's own message). */
  message: string;
  requestId: string | null;
  /** Field-level problems of a validation error. */
  errors?: { path: string; message: string }[];
}

const CLI_CODE_EXIT: Record<string, number> = {
  not_logged_in: EXIT_CODES.auth,
  session_expired: EXIT_CODES.auth,
  connection_error: EXIT_CODES.network,
};

/** Codes of what the SDK checked itself and refused (`CmsIntegrityError`): no server or network at fault. */
const INTEGRITY_CODES = new Set(['content_hash_mismatch', 'file_hash_mismatch']);

export function exitCodeForStatus(status: number | undefined, code?: string): number {
  if (code !== undefined && INTEGRITY_CODES.has(code)) return EXIT_CODES.failure;
  if (code === 'connection_error' || code === 'timeout' || status === undefined) return EXIT_CODES.network;
  if (status === 401 || status === 403) return EXIT_CODES.auth;
  if (status === 404) return EXIT_CODES.notFound;
  if (status === 409 || status === 412) return EXIT_CODES.conflict;
  if (status === 400 || status === 413 || status === 415 || status === 422) return EXIT_CODES.validation;
  if (status === 502 || status === 503 || status === 504) return EXIT_CODES.network;
  return EXIT_CODES.failure;
}

const local = (code: string, message: string): ErrorReport => ({
  code,
  status: null,
  title: null,
  detail: null,
  message,
  requestId: null,
});

export function reportError(error: unknown, io: Pick<CliIo, 'stderr'>, json: boolean): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0; // --help, --version
    // Commander already printed help for a bare `cms` / `cms contracts`; other errors arrive here unprinted.
    if (error.code !== 'commander.help') {
      print(io, json, local('usage_error', error.message.replace(/^error: /, '')), 'run with --help for usage');
    }
    return EXIT_CODES.usage;
  }
  if (error instanceof UsageError) {
    print(io, json, local(error.code, error.message), 'run with --help for usage');
    return EXIT_CODES.usage;
  }
  if (error instanceof PartialFailure) {
    print(io, json, local(error.code, error.message));
    return EXIT_CODES.partial;
  }
  if (isCmsError(error)) {
    const hint =
      error.status === 401
        ? 'run `cms login` to log in again'
        : error.code === 'connection_error' || error.code === 'timeout'
          ? UNREACHABLE_HINT
          : undefined;
    print(io, json, cmsErrorReport(error), hint);
    return exitCodeForStatus(error.status, error.code);
  }
  if (error instanceof CliFailure) {
    print(io, json, local(error.code, error.message));
    return CLI_CODE_EXIT[error.code] ?? EXIT_CODES.failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  print(io, json, local('cli_error', message));
  return EXIT_CODES.failure;
}

function cmsErrorReport(error: CmsError): ErrorReport {
  const report: ErrorReport = {
    code: error.code,
    status: error.status ?? null,
    title: error.details?.title ?? null,
    detail: error.details?.detail ?? null,
    message: error.message,
    requestId: error.requestId ?? null,
  };
  if (error.details?.errors?.length) report.errors = error.details.errors;
  return report;
}

function print(io: Pick<CliIo, 'stderr'>, json: boolean, report: ErrorReport, hint?: string): void {
  if (json) {
    io.stderr(`${JSON.stringify({ error: report })}\n`);
    return;
  }
  const context = [
    report.code !== 'usage_error' && report.code !== 'cli_error' ? `code ${report.code}` : undefined,
    report.requestId ? `request ${report.requestId}` : undefined,
  ].filter(Boolean);
  const lines = [`error: ${report.message}${context.length ? ` (${context.join(', ')})` : ''}`];
  for (const e of report.errors ?? []) lines.push(`  ${e.path || '/'}: ${e.message}`);
  if (hint) lines.push(`hint: ${hint}`);
  io.stderr(`${lines.join('\n')}\n`);
}

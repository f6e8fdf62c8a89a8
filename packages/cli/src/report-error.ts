// Turns whatever a command threw into stderr output and an exit status (1 failure, 2 usage).
import { type CmsError, isCmsError } from '@cms/sdk';
import { CommanderError } from 'commander';
import { CliFailure, UsageError } from './cli-errors.js';
import type { CliIo } from './io.js';
import { UNREACHABLE_HINT } from './session.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

interface ErrorReport {
  code: string;
  status: number | null;
  message: string;
  requestId: string | null;
  /** Field-level problems of a validation error. */
  errors?: { path: string; message: string }[];
}

export function reportError(error: unknown, io: Pick<CliIo, 'stderr'>, json: boolean): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0; // --help, --version
    // Commander already printed help for a bare `cms` / `cms contracts`; other errors arrive here unprinted.
    if (error.code !== 'commander.help') {
      const message = error.message.replace(/^error: /, '');
      print(io, json, { code: 'usage_error', status: null, message, requestId: null }, 'run with --help for usage');
    }
    return EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    print(
      io,
      json,
      { code: error.code, status: null, message: error.message, requestId: null },
      'run with --help for usage',
    );
    return EXIT_USAGE;
  }
  if (isCmsError(error)) {
    const hint =
      error.status === 401
        ? 'run `cms login` to log in again'
        : error.code === 'connection_error' || error.code === 'timeout'
          ? UNREACHABLE_HINT
          : undefined;
    print(io, json, cmsErrorReport(error), hint);
    return EXIT_FAILURE;
  }
  if (error instanceof CliFailure) {
    print(io, json, { code: error.code, status: null, message: error.message, requestId: null });
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? error.message : String(error);
  print(io, json, { code: 'cli_error', status: null, message, requestId: null });
  return EXIT_FAILURE;
}

function cmsErrorReport(error: CmsError): ErrorReport {
  const report: ErrorReport = {
    code: error.code,
    status: error.status ?? null,
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

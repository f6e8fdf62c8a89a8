// A bulk run: every row of a file through one API call, `concurrency` at a time, each with an
// Idempotency-Key derived from the run's name and the row's content. Rows a previous run finished
// (its report) are skipped; rows it left in flight are sent again and replayed by the server, so a
// re-run after a crash or Ctrl-C does nothing twice. 429 pauses every worker for the Retry-After and
// retries the row: a rate limit slows the run down, never fails it.
import { type CmsClient, type ContractSigner, isCmsError } from '@cms/sdk';
import { UsageError } from '../cli-errors.js';
import type { CliIo } from '../io.js';
import { createProgress } from './progress.js';
import { openReport, type ReportLine, readReport } from './report.js';
import { type BulkAction, type BulkRow, contractCreateOf, contractIdOf } from './rows.js';

export interface BulkOptions {
  action: BulkAction;
  rows: BulkRow[];
  run: string;
  report: string;
  concurrency: number;
  client: CmsClient;
  /** `bulk sign`: the party's key. */
  signer?: ContractSigner;
  /** `bulk void`: the reason when a row has none. */
  reason?: string;
  io: Pick<CliIo, 'stderr' | 'stderrIsTTY' | 'env'>;
  /** Progress on stderr. */
  progress: boolean;
}

export interface BulkSummary {
  run: string;
  action: BulkAction;
  total: number;
  succeeded: number;
  failed: number;
  /** Rows an earlier run of the same command had finished (not sent again). */
  skipped: number;
  /** 429 answers waited out. */
  rateLimited: number;
  report: string;
  durationMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runBulk(options: BulkOptions): Promise<BulkSummary> {
  const began = Date.now();
  const { rows, action, client } = options;
  const previous = readReport(options.report);
  const kept: ReportLine[] = [];
  const todo: BulkRow[] = [];
  for (const row of rows) {
    const done = previous.get(row.row);
    if (done && done.key === row.key) kept.push(done);
    else todo.push(row);
  }
  const report = openReport(options.report, kept);
  const progress = options.progress
    ? createProgress(options.io, `bulk ${action}`, rows.length, kept.length)
    : { update() {}, stop() {} };
  let succeeded = 0;
  let failed = 0;
  let rateLimited = 0;
  let pauseUntil = 0;

  const call = async (row: BulkRow): Promise<string> => {
    const request = { idempotencyKey: row.key };
    switch (action) {
      case 'create':
        return (await client.contracts.create(contractCreateOf(row), request)).id;
      case 'send':
        return (await client.contracts.send(contractIdOf(row.fields), request)).id;
      case 'sign': {
        if (!options.signer) throw new UsageError('bulk sign needs a key');
        return (await client.contracts.sign(contractIdOf(row.fields), { ...request, signer: options.signer })).id;
      }
      case 'void': {
        const reason = typeof row.fields.reason === 'string' && row.fields.reason ? row.fields.reason : options.reason;
        if (!reason) throw new UsageError('no "reason" column and no --reason');
        return (await client.contracts.void(contractIdOf(row.fields), reason, request)).id;
      }
    }
  };

  const handle = async (row: BulkRow): Promise<ReportLine> => {
    for (;;) {
      const wait = pauseUntil - Date.now();
      if (wait > 0) await sleep(wait);
      try {
        return { row: row.row, key: row.key, ok: true, id: await call(row) };
      } catch (error) {
        if (isCmsError(error) && error.status === 429) {
          rateLimited++;
          const seconds = (error as { retryAfterSeconds?: number }).retryAfterSeconds ?? 1;
          pauseUntil = Math.max(pauseUntil, Date.now() + seconds * 1000);
          continue;
        }
        if (error instanceof UsageError)
          return { row: row.row, key: row.key, ok: false, code: 'invalid_row', status: null, message: error.message };
        if (isCmsError(error))
          return {
            row: row.row,
            key: row.key,
            ok: false,
            code: error.code,
            status: error.status ?? null,
            message: error.message,
            requestId: error.requestId ?? null,
          };
        return {
          row: row.row,
          key: row.key,
          ok: false,
          code: 'cli_error',
          status: null,
          message: error instanceof Error ? error.message : String(error),
        };
      }
    }
  };

  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const row = todo[next++]!;
      const line = await handle(row);
      report.write(line);
      if (line.ok) succeeded++;
      else failed++;
      progress.update(kept.length + succeeded + failed, failed);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, Math.max(1, todo.length)) }, worker));
  } finally {
    progress.stop();
    report.close();
  }
  return {
    run: options.run,
    action,
    total: rows.length,
    succeeded: succeeded + kept.length,
    failed,
    skipped: kept.length,
    rateLimited,
    report: options.report,
    durationMs: Date.now() - began,
  };
}

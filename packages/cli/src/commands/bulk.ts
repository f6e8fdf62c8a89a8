// `cms bulk create | send | sign | void <file.csv | file.jsonl>`: one API call per row, crash-safe re-runs.
import { basename } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { BULK_ACTIONS, type BulkAction, readRows } from '../bulk/rows.js';
import { runBulk } from '../bulk/run-bulk.js';
import { PartialFailure } from '../cli-errors.js';
import type { CommandContext } from '../context.js';
import { signersFromKeyFile } from '../key-signers.js';
import { formatFields } from '../output.js';
import { openClient } from '../session.js';
import { inputReader } from './contract-input.js';

const INPUT_HELP: Record<BulkAction, string> = {
  create:
    'JSONL: one ContractCreate body a line. CSV columns: title, description, externalId, expiresAt, terms (JSON),\n' +
    '  parties ("did:role[:order]" separated by ";"), metadata.<key> (or metadata "k=v;k2=v2").',
  send: 'a column or field "id": the contract to send for signature.',
  sign: 'a column or field "id": the contract to sign with your key (--key).',
  void: 'a column or field "id", and "reason" (or --reason for every row).',
};

function concurrency(value: string): number {
  if (!/^[1-9]\d*$/.test(value) || Number(value) > 64) throw new InvalidArgumentError('expected 1 to 64');
  return Number(value);
}

export function registerBulkCommands(program: Command, context: CommandContext): void {
  const bulk = program
    .command('bulk')
    .description('run one action for every row of a CSV or JSONL file; safe to re-run after a crash')
    .addHelpText(
      'after',
      `
Every row is sent with an Idempotency-Key derived from the run's name (--run, default: the file name) and
the row's content: running the same command again after a crash, Ctrl-C or SIGKILL skips the rows its
report lists as done and replays the ones in flight, so nothing happens twice. Rows that failed are tried
again. Exit status 8 when any row failed (the report says which and why).

Examples:
  cms bulk create contracts.csv --concurrency 8
  cms bulk send ids.jsonl --run send-2026-12 --report send.report.jsonl
  cms bulk void ids.csv --reason "duplicate import" --json`,
    );

  for (const action of BULK_ACTIONS) {
    const command = bulk
      .command(action)
      .description(`${action} a contract for every row of the file`)
      .argument('<file>', 'a .csv or .jsonl file (- for JSONL on stdin)')
      .option('--run <name>', 'the run name in the idempotency keys (default: the file name)')
      .option('--report <file>', 'the JSONL result report (default: <file>.<run>.report.jsonl)')
      .option('--concurrency <n>', 'rows in flight at once (1-64)', concurrency, 4)
      .option('--no-progress', 'no progress bar or progress lines on stderr')
      .addHelpText(
        'after',
        `\nInput: ${INPUT_HELP[action]}\n\nExample:\n  cms bulk ${action} rows.csv --concurrency 8`,
      );
    if (action === 'sign') command.option('--key <file>', "the signer's key file (default: the profile's key)");
    if (action === 'void') command.option('--reason <text>', 'the reason, for rows without a "reason"');
    command.action(
      async (
        file: string,
        flags: {
          run?: string;
          report?: string;
          concurrency: number;
          progress: boolean;
          key?: string;
          reason?: string;
        },
        cmd: Command,
      ) => {
        const { settings, out } = context.begin(cmd);
        const run = flags.run ?? (file === '-' ? 'stdin' : basename(file));
        const report =
          flags.report ??
          `${file === '-' ? 'stdin' : file}.${run.replace(/[^A-Za-z0-9_.-]/g, '_')}.${action}.report.jsonl`;
        const rows = readRows(await inputReader(context.io.readStdin)(file), file, run, action);
        const signer =
          action === 'sign' ? (await signersFromKeyFile(flags.key ?? settings.keyFile)).contract : undefined;
        const client = await openClient(settings, context.io);
        const summary = await runBulk({
          action,
          rows,
          run,
          report,
          concurrency: flags.concurrency,
          client,
          ...(signer ? { signer } : {}),
          ...(flags.reason ? { reason: flags.reason } : {}),
          io: context.io,
          progress: flags.progress,
        });
        out.result(summary, () =>
          formatFields([
            ['bulk', `${action} (run ${run})`],
            ['rows', String(summary.total)],
            ['succeeded', `${summary.succeeded}${summary.skipped ? ` (${summary.skipped} by an earlier run)` : ''}`],
            ['failed', String(summary.failed)],
            ['rate limited', summary.rateLimited ? `${summary.rateLimited} times (waited)` : undefined],
            ['time', `${(summary.durationMs / 1000).toFixed(1)} s`],
            ['report', report],
          ]),
        );
        if (summary.failed > 0)
          throw new PartialFailure(`${summary.failed} of ${summary.total} rows failed; see ${report}`);
      },
    );
  }
}

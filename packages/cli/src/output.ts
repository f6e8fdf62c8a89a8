// How commands print: `--json` one JSON document on stdout, `--jsonl` one JSON value per line (list items
// one per line), plain text otherwise; notes on stderr. Colours only on a terminal, never with NO_COLOR.
import type { CliIo } from './io.js';
import type { OutputFormat } from './settings.js';

export interface Output {
  readonly json: boolean;
  readonly format: OutputFormat;
  /** Prints a command's result: `value` as JSON with `--json`/`--jsonl`, otherwise `human()`. */
  result(value: unknown, human: () => string): void;
  /** One item of a stream (`events --follow`): a compact JSON line, or `human()`. */
  item(value: unknown, human: () => string): void;
  /** A warning or hint on stderr, where it never mixes into the result. */
  note(message: string): void;
  /** Colours for human output (identity functions when colours are off). */
  readonly style: Style;
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const COLOURS: Style = { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39) };
const PLAIN: Style = { bold: (t) => t, dim: (t) => t, red: (t) => t, green: (t) => t, yellow: (t) => t };

/** Colours on: stdout is a terminal and neither NO_COLOR nor TERM=dumb is set (FORCE_COLOR=1 forces them). */
export function coloursWanted(io: Pick<CliIo, 'env' | 'stdoutIsTTY'>): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.stdoutIsTTY === true && io.env.TERM !== 'dumb';
}

/** Terminal width the tables fit in; unlimited when stdout is not a terminal (pipes get whole cells). */
let tableWidth = Number.POSITIVE_INFINITY;
let tableStyle: Style = PLAIN;

export function createOutput(
  io: Pick<CliIo, 'stdout' | 'stderr' | 'env' | 'stdoutIsTTY' | 'columns'>,
  format: OutputFormat | boolean,
): Output {
  const fmt: OutputFormat = format === true ? 'json' : format === false ? 'human' : format;
  const style = coloursWanted(io) ? COLOURS : PLAIN;
  tableWidth = io.stdoutIsTTY && io.columns ? io.columns : Number.POSITIVE_INFINITY;
  tableStyle = style;
  return {
    json: fmt !== 'human',
    format: fmt,
    style,
    result(value, human) {
      if (fmt === 'json') io.stdout(`${JSON.stringify(value, null, 2)}\n`);
      else if (fmt === 'jsonl') io.stdout(jsonLines(value));
      else io.stdout(withNewline(human()));
    },
    item(value, human) {
      io.stdout(fmt === 'human' ? withNewline(human()) : `${JSON.stringify(value)}\n`);
    },
    note(message) {
      io.stderr(withNewline(message));
    },
  };
}

/** JSON Lines: an array or a page's `data` one item per line, anything else on one line. */
export function jsonLines(value: unknown): string {
  const items = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { data?: unknown }).data)
      ? (value as { data: unknown[] }).data
      : [value];
  return items.map((item) => `${JSON.stringify(item)}\n`).join('');
}

/**
 * Aligned columns under upper-case headers, e.g. for `contracts list`. On a terminal the widest
 * columns are cut (with an ellipsis) until each line fits its width.
 */
export function formatTable(headers: string[], rows: string[][], maxWidth = tableWidth): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  while (total() > maxWidth) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= 8) break;
    widths[widest] = Math.max(8, widths[widest]! - (total() - maxWidth));
  }
  const line = (cells: string[], header = false) =>
    cells
      .map((c, i) => {
        const cell = truncate(c, widths[i]!).padEnd(widths[i]!);
        return header ? tableStyle.bold(cell) : cell;
      })
      .join('  ')
      .trimEnd();
  return [
    line(
      headers.map((h) => h.toUpperCase()),
      true,
    ),
    ...rows.map((r) => line(r)),
  ].join('\n');
}

/** `label  value` lines with the values aligned; rows with an `undefined` value are left out. */
export function formatFields(fields: [label: string, value: string | undefined][]): string {
  const shown = fields.filter((f): f is [string, string] => f[1] !== undefined);
  const width = Math.max(...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${label.padEnd(width)}  ${value}`.trimEnd()).join('\n');
}

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

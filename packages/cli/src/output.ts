// How commands print: one JSON document on stdout with --json, plain text otherwise; notes on stderr.
import type { CliIo } from './io.js';

export interface Output {
  readonly json: boolean;
  /** Prints a command's result: `value` as one JSON document with `--json`, otherwise `human()`. */
  result(value: unknown, human: () => string): void;
  /** A warning or hint on stderr, where it never mixes into the result. */
  note(message: string): void;
}

export function createOutput(io: Pick<CliIo, 'stdout' | 'stderr'>, json: boolean): Output {
  return {
    json,
    result(value, human) {
      io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : withNewline(human()));
    },
    note(message) {
      io.stderr(withNewline(message));
    },
  };
}

/** Aligned columns under upper-case headers, e.g. for `contracts list`. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join('\n');
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

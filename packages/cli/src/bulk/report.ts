// The JSONL result report of a bulk run: one line per row, `{ row, key, ok, id }` or
// `{ row, key, ok: false, code, status, message, requestId }`. A re-run keeps the rows that succeeded
// (same row number and idempotency key) and rewrites the file without the rest, so each row is in it once.
import { closeSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';

export interface ReportLine {
  row: number;
  key: string;
  ok: boolean;
  id?: string;
  code?: string;
  status?: number | null;
  message?: string;
  requestId?: string | null;
}

/** The succeeded rows an earlier run of the same command left in `path` (by row number). */
export function readReport(path: string): Map<number, ReportLine> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const done = new Map<number, ReportLine>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as ReportLine;
      if (parsed.ok && typeof parsed.row === 'number') done.set(parsed.row, parsed);
    } catch {
      // A line cut short by a crash: that row is sent again (its idempotency key makes it a replay).
    }
  }
  return done;
}

export interface ReportWriter {
  write(line: ReportLine): void;
  close(): void;
}

/** Rewrites `path` with `kept` lines (atomically), then appends one line per finished row. */
export function openReport(path: string, kept: ReportLine[]): ReportWriter {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, kept.map((l) => `${JSON.stringify(l)}\n`).join(''), { mode: 0o600 });
  renameSync(temp, path);
  const fd = openSync(path, 'a');
  return {
    // One write(2) per line on an O_APPEND file: a crash loses at most the line being written.
    write: (line) => void writeSync(fd, `${JSON.stringify(line)}\n`),
    close: () => closeSync(fd),
  };
}

// Reading a bulk input file: CSV (header row, RFC 4180 quoting) or JSON Lines (one object a line),
// and turning each row into the request of its action. A row that cannot be turned into a request is
// reported as `invalid_row` and never sent.
import { createHash } from 'node:crypto';
import { type ContractCreate, canonicalJson } from '@cms/sdk';
import { UsageError } from '../cli-errors.js';
import { parseJsonObject, parseMetadataEntry, parseParty } from '../commands/contract-input.js';

export const BULK_ACTIONS = ['create', 'send', 'sign', 'void'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** One input row: its 1-based number, its fields as read, and its idempotency key. */
export interface BulkRow {
  row: number;
  fields: Record<string, unknown>;
  /** From a CSV file: every field is a string, parties and metadata in columns. */
  csv: boolean;
  key: string;
}

/** Parses CSV text into records keyed by the header row. */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const s = text.replace(/^\uFEFF/, '');
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  while (i < s.length) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') endRecord();
    else if (c === '\r' && s[i + 1] === '\n') {
      endRecord();
      i++;
    } else field += c;
    i++;
  }
  if (quoted) throw new UsageError('CSV: a quoted field is not closed');
  if (field !== '' || record.length) endRecord();
  const [header, ...rows] = records;
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, j) => [h.trim(), r[j] ?? ''])));
}

/** The rows of a `.csv` or `.jsonl` (also `.ndjson`) file, each with the key derived from run, action and content. */
export function readRows(text: string, file: string, run: string, action: BulkAction): BulkRow[] {
  const csv = /\.csv$/i.test(file);
  const records: Record<string, unknown>[] = csv
    ? parseCsv(text)
    : /\.(jsonl|ndjson)$/i.test(file) || file === '-'
      ? text
          .split('\n')
          .map((line, i) => [line.trim(), i] as const)
          .filter(([line]) => line !== '')
          .map(([line, i]) => parseJsonObject(line, `${file} line ${i + 1}`))
      : (() => {
          throw new UsageError(`${file}: expected a .csv or .jsonl file`);
        })();
  // Identical rows are told apart by their occurrence, so re-running (or reordering) a file sends each once.
  const seen = new Map<string, number>();
  return records.map((fields, i) => {
    const content = canonicalJson(fields);
    const occurrence = (seen.get(content) ?? 0) + 1;
    seen.set(content, occurrence);
    return { row: i + 1, fields, csv, key: idempotencyKey(run, action, content, occurrence) };
  });
}

/** `cms-bulk-<sha256(run, action, content, occurrence)>`: the same on every re-run of the same command. */
export function idempotencyKey(run: string, action: BulkAction, content: string, occurrence: number): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([run, action, content, occurrence]))
    .digest('hex');
  return `cms-bulk-${digest}`;
}

/** The row, for `bulk create`: a whole ContractCreate (JSONL), or CSV columns. */
export function contractCreateOf({ fields: row, csv }: Pick<BulkRow, 'fields' | 'csv'>): ContractCreate {
  if (!csv) return row as unknown as ContractCreate;
  const fields = row as Record<string, string>;
  const body: ContractCreate = { title: fields.title ?? '' };
  if (!fields.title) throw new UsageError('the "title" column is empty');
  if (fields.description) body.description = fields.description;
  const externalId = fields.externalId || fields.external_id;
  if (externalId) body.externalId = externalId;
  const expiresAt = fields.expiresAt || fields.expires_at;
  if (expiresAt) body.expiresAt = expiresAt;
  if (fields.terms) body.terms = parseJsonObject(fields.terms, 'the "terms" column');
  const parties = fields.parties || fields.party;
  if (parties)
    body.parties = parties
      .split(/[;\s]+/)
      .filter(Boolean)
      .map((p) => parseParty(p));
  const metadata = Object.entries(fields)
    .filter(([k, v]) => k.startsWith('metadata.') && v !== '')
    .map(([k, v]) => [k.slice('metadata.'.length), v] as const);
  if (fields.metadata) metadata.push(...fields.metadata.split(';').filter(Boolean).map(parseMetadataEntry));
  if (metadata.length) body.metadata = Object.fromEntries(metadata);
  return body;
}

/** The contract id of a send/sign/void row (`id` or `contractId`). */
export function contractIdOf(fields: Record<string, unknown>): string {
  const id = fields.id ?? fields.contractId;
  if (typeof id !== 'string' || id === '') throw new UsageError('the row has no "id"');
  return id;
}

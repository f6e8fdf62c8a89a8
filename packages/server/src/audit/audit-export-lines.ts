// The lines of an audit export: each stored event as hashed, plus its ledger anchor, in JSON Lines or CSV.
import type { AuditExportLine } from '../generated/schemas.js';

export type AuditExportFormat = 'jsonl' | 'csv';

export const CSV_COLUMNS = [
  'id',
  'organizationId',
  'seq',
  'occurredAt',
  'actorDid',
  'action',
  'resourceType',
  'resourceId',
  'data',
  'prevHash',
  'hash',
  'anchorRoot',
  'anchorProof',
  'anchorStatus',
  'anchorTransactionHash',
] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const csvRow = (fields: readonly string[]) => `${fields.map(csvField).join(',')}\r\n`;

export function exportLine(line: AuditExportLine, format: AuditExportFormat): string {
  if (format === 'jsonl') return `${JSON.stringify(line)}\n`;
  return csvRow([
    line.id,
    line.organizationId,
    String(line.seq),
    line.occurredAt,
    line.actorDid,
    line.action,
    line.resource.type,
    line.resource.id,
    JSON.stringify(line.data),
    line.prevHash,
    line.hash,
    line.anchor?.root ?? '',
    line.anchor ? JSON.stringify(line.anchor.proof) : '',
    line.anchor?.status ?? '',
    line.anchor?.transactionHash ?? '',
  ]);
}

export function exportTrailer(trailer: unknown, format: AuditExportFormat): string {
  return format === 'jsonl' ? `${JSON.stringify(trailer)}\n` : csvRow(['#manifest', JSON.stringify(trailer)]);
}

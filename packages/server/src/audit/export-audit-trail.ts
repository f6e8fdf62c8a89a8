// GET /v1/audit/export: streams an organization's audit rows of a time range, a page per pull (the stream's
// back-pressure paces the database reads, so memory stays flat for any number of rows), then the signed
// manifest. The exported rows are contiguous in seq: from the first row of the range to its last one.
import { createHash } from 'node:crypto';
import { GENESIS_HASH } from '@cms/sdk';
import { and, asc, eq, gt, gte, lt, lte, max, min } from 'drizzle-orm';
import type { KeyRing } from '../auth/key-ring.js';
import type { Db } from '../db/database.js';
import { auditChainHeads, auditEvents, ledgerBatches, ledgerLeaves } from '../db/schema/index.js';
import type { AuditExportLine, AuditExportManifest } from '../generated/schemas.js';
import { type AuditExportFormat, CSV_COLUMNS, csvRow, exportLine, exportTrailer } from './audit-export-lines.js';
import { chainRowOf } from './audit-rows.js';
import { signAuditManifest } from './sign-audit-manifest.js';

export interface ExportAuditTrailOptions {
  organizationId: string;
  from?: Date;
  to?: Date;
  format: AuditExportFormat;
  keys: KeyRing;
  /** @default 1000 */
  pageSize?: number;
  signal?: AbortSignal;
}

/** The seq bounds of the range and the chain head, read before the first byte is sent. */
async function exportBounds(db: Db, o: ExportAuditTrailOptions) {
  const org = o.organizationId;
  const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.organizationId, org));
  const headSeq = head?.seq ?? 0;
  const [bounds] = await db
    .select({ first: min(auditEvents.seq), last: max(auditEvents.seq) })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.organizationId, org),
        lte(auditEvents.seq, headSeq),
        o.from ? gte(auditEvents.occurredAt, o.from) : undefined,
        o.to ? lt(auditEvents.occurredAt, o.to) : undefined,
      ),
    );
  const first = bounds?.first == null ? null : Number(bounds.first);
  const last = bounds?.last == null ? null : Number(bounds.last);
  return { first, last, headSeq, headHash: head?.headHash ?? GENESIS_HASH };
}

async function exportPage(db: Db, org: string, afterSeq: number, throughSeq: number, limit: number) {
  const rows = await db
    .select({
      event: auditEvents,
      root: ledgerBatches.root,
      proof: ledgerLeaves.proof,
      status: ledgerBatches.status,
      batchId: ledgerBatches.id,
      transactionHash: ledgerBatches.transactionHash,
      chainId: ledgerBatches.chainId,
      ledgerAddress: ledgerBatches.ledgerAddress,
    })
    .from(auditEvents)
    .leftJoin(
      ledgerLeaves,
      and(eq(ledgerLeaves.auditEventId, auditEvents.id), eq(ledgerLeaves.organizationId, auditEvents.organizationId)),
    )
    .leftJoin(ledgerBatches, eq(ledgerBatches.id, ledgerLeaves.batchId))
    .where(and(eq(auditEvents.organizationId, org), gt(auditEvents.seq, afterSeq), lte(auditEvents.seq, throughSeq)))
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
  return rows.map(
    (r): AuditExportLine => ({
      ...chainRowOf(r.event),
      anchor:
        r.root && r.proof && r.status && r.batchId && r.ledgerAddress
          ? {
              root: r.root,
              proof: r.proof,
              status: r.status,
              batchId: r.batchId,
              transactionHash: r.transactionHash,
              chainId: r.chainId,
              ledgerAddress: r.ledgerAddress,
            }
          : null,
    }),
  );
}

/** The export as a byte stream; rejects (before any byte) only when the database does. */
export async function exportAuditTrail(db: Db, o: ExportAuditTrailOptions): Promise<ReadableStream<Uint8Array>> {
  const org = o.organizationId;
  const pageSize = o.pageSize ?? 1000;
  const exportedAt = new Date();
  const bounds = await exportBounds(db, o);
  const digest = createHash('sha256');
  const encoder = new TextEncoder();
  let cursor = bounds.first === null ? 0 : bounds.first - 1;
  const through = bounds.last ?? 0;
  let rowCount = 0;
  let afterHash: string | null = null;
  let firstHash: string | null = null;
  let lastHash: string | null = null;
  let lastSeq: number | null = null;
  let done = false;

  const emit = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    const bytes = encoder.encode(text);
    digest.update(bytes);
    controller.enqueue(bytes);
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (o.format === 'csv') emit(controller, csvRow(CSV_COLUMNS));
      },
      async pull(controller) {
        if (done) return;
        if (o.signal?.aborted) {
          controller.error(o.signal.reason);
          return;
        }
        const page = bounds.first === null ? [] : await exportPage(db, org, cursor, through, pageSize);
        let text = '';
        for (const line of page) {
          afterHash ??= line.prevHash;
          firstHash ??= line.hash;
          lastHash = line.hash;
          lastSeq = line.seq;
          rowCount++;
          text += exportLine(line, o.format);
        }
        if (text) emit(controller, text);
        if (page.length === pageSize) {
          cursor = page.at(-1)!.seq;
          return;
        }
        const manifest: AuditExportManifest = {
          type: 'cms.audit-export.v1',
          organizationId: org,
          format: o.format,
          from: o.from?.toISOString() ?? null,
          to: o.to?.toISOString() ?? null,
          exportedAt: exportedAt.toISOString(),
          rowCount,
          afterSeq: bounds.first === null ? bounds.headSeq : bounds.first - 1,
          afterHash: afterHash ?? (bounds.first === null ? bounds.headHash : GENESIS_HASH),
          firstSeq: bounds.first === null ? null : bounds.first,
          firstHash,
          lastSeq,
          lastHash,
          headSeq: bounds.headSeq,
          headHash: bounds.headHash,
          contentSha256: `0x${digest.digest('hex')}`,
        };
        controller.enqueue(encoder.encode(exportTrailer(signAuditManifest(o.keys, manifest), o.format)));
        done = true;
        controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}

import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { exportAuditTrail } from './export-audit-trail.js';
import { listAuditEvents, timeRange } from './list-audit-events.js';
import { verifyAuditChain } from './verify-audit-chain.js';

const EXPORT_MEDIA_TYPES = { jsonl: 'application/x-ndjson', csv: 'text/csv; charset=utf-8' } as const;

export function auditHandlers(
  s: Pick<Services, 'database' | 'keys' | 'closing'>,
): Pick<OperationHandlers, 'listAuditEvents' | 'verifyAuditTrail' | 'exportAuditTrail'> {
  return {
    listAuditEvents: async (c) =>
      c.json(await listAuditEvents(s.database.db, c.get('principal').organizationId, c.req.valid('query')), 200),
    verifyAuditTrail: async (c) => {
      const range = timeRange(c.req.valid('query'));
      const result = await verifyAuditChain(s.database.db, {
        organizationId: c.get('principal').organizationId,
        ...range,
      });
      return c.json(result, 200);
    },
    exportAuditTrail: async (c) => {
      const query = c.req.valid('query');
      const range = timeRange(query);
      const body = await exportAuditTrail(s.database.db, {
        organizationId: c.get('principal').organizationId,
        ...range,
        format: query.format,
        keys: s.keys,
        signal: AbortSignal.any([s.closing, c.req.raw.signal]),
      });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': EXPORT_MEDIA_TYPES[query.format],
          'content-disposition': `attachment; filename="audit-${stamp}.${query.format}"`,
          'cache-control': 'no-store',
          'x-accel-buffering': 'no',
        },
      }) as never;
    },
  };
}

import { problemBody } from '../errors/app-error.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { checkReadiness } from './readiness.js';

export function opsHandlers(
  s: Pick<Services, 'database' | 'ledger' | 'store' | 'files' | 'version'>,
): Pick<OperationHandlers, 'getHealth' | 'getReadiness' | 'getStatus'> {
  return {
    getHealth: (c) => c.json({ status: 'ok' as const }, 200),
    getReadiness: async (c) => {
      const report = await checkReadiness(s);
      if (!report.ready) {
        const problem = problemBody('service_unavailable', {
          detail: report.detail!,
          requestId: c.get('requestId'),
          instance: new URL(c.req.url).pathname,
        });
        // A problem with the checks as an extension member; the generated route types only type JSON
        // success bodies (other problems leave through onError), hence the cast.
        return c.body(JSON.stringify({ ...problem, checks: report.checks }), 503, {
          'content-type': 'application/problem+json',
          'retry-after': '1',
        }) as never;
      }
      return c.json({ status: report.degraded ? ('degraded' as const) : ('ok' as const), checks: report.checks }, 200);
    },
    getStatus: (c) =>
      c.json(
        {
          status: 'ok' as const,
          version: s.version,
          database: { engine: s.database.engine },
          chain: s.ledger.info(),
        },
        200,
      ),
  };
}

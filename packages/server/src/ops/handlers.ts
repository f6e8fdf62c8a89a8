import { AppError } from '../errors/app-error.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';

export function opsHandlers(s: Services): Pick<OperationHandlers, 'getHealth' | 'getReadiness' | 'getStatus'> {
  return {
    getHealth: (c) => c.json({ status: 'ok' as const }, 200),
    getReadiness: async (c) => {
      try {
        await s.database.ping();
      } catch {
        throw new AppError('service_unavailable', 'The database is unreachable.');
      }
      // Every authenticated request needs the session store (Redis when configured).
      try {
        await s.store.ping();
      } catch {
        throw new AppError('service_unavailable', 'The session store is unreachable.');
      }
      return c.json({ status: 'ok' as const }, 200);
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

// Read-your-writes across instances: once a caller's write has been answered (and committed), the
// primary's WAL position is recorded as the caller's, before the response leaves, so the caller's next
// request — on any instance — reads from a replica only once it has replayed this write. Installed only
// with read replicas (see db/write-positions.ts).
import type { MiddlewareHandler } from 'hono';
import type { SessionPrincipal } from '../auth/principal.js';
import type { WritePositions } from '../db/write-positions.js';
import type { AppEnv } from './app-env.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function recordWrites(positions: WritePositions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const principal = c.get('principal') as SessionPrincipal | undefined;
    if (!principal) return;
    if (READS.has(c.req.method) && !c.get('wrote')) return;
    // A refused or failed request changed nothing (every mutation is one transaction), or was not
    // acknowledged: its retry (same Idempotency-Key) records the position then.
    if (c.res.status >= 400) return;
    await positions.recordWrite(principal.userId);
  };
}

// Idempotency-Key for the operations the spec marks `x-cms-idempotent` (Stripe's semantics, the IETF
// draft's status codes): the first response is stored and replayed; the same key with another request
// is 422; a retry while the first still runs is 409. Rows live in PostgreSQL, so every instance agrees.
import { createHash } from 'node:crypto';
import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/database.js';
import { idempotencyKeys } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { AppEnv } from './app-env.js';

const RETENTION_MS = 24 * 3600_000;
/** A first request still "running" after this long crashed: a retry may take its place. */
const ABANDONED_MS = 60_000;
/** Headers worth replaying (the rest are per-response). */
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];

export function idempotency(db: () => Db): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    const scope = c.get('principal').userId;
    const url = new URL(c.req.url);
    const requestHash = createHash('sha256')
      .update(`${c.req.method} ${url.pathname}${url.search}\n`)
      .update(await c.req.text())
      .digest('hex');
    const now = new Date();

    // Claim the key: a new row, or an expired or abandoned one for the same request.
    const claimed = await db()
      .insert(idempotencyKeys)
      .values({ scope, key, requestHash, lockedAt: now, expiresAt: new Date(now.getTime() + RETENTION_MS) })
      .onConflictDoUpdate({
        target: [idempotencyKeys.scope, idempotencyKeys.key],
        set: { requestHash, responseStatus: null, responseHeaders: null, responseBody: null, lockedAt: now, expiresAt: new Date(now.getTime() + RETENTION_MS) },
        setWhere: or(
          lt(idempotencyKeys.expiresAt, now),
          and(eq(idempotencyKeys.requestHash, requestHash), sql`${idempotencyKeys.responseStatus} is null`, lt(idempotencyKeys.lockedAt, new Date(now.getTime() - ABANDONED_MS))),
        ),
      })
      .returning({ key: idempotencyKeys.key });

    if (claimed.length === 0) {
      const [stored] = await db().select().from(idempotencyKeys).where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
      if (!stored) throw new AppError('idempotency_key_in_use', 'Retry in a moment.');
      if (stored.requestHash !== requestHash) throw new AppError('idempotency_key_reused', 'Use a new Idempotency-Key for a different request.');
      if (stored.responseStatus === null) throw new AppError('idempotency_key_in_use', 'The first request with this key is still running; retry later.', { headers: { 'retry-after': '1' } });
      return c.body(stored.responseBody ?? '', stored.responseStatus as never, { ...stored.responseHeaders, 'idempotent-replayed': 'true' });
    }

    const release = () => db().delete(idempotencyKeys).where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
    try {
      await next();
    } catch (error) {
      await release();
      throw error;
    }
    // Server failures are not final: the client may retry them with the same key.
    if (c.res.status >= 500 || c.error) {
      await release();
      return;
    }
    const headers = Object.fromEntries(REPLAYED_HEADERS.flatMap((h) => (c.res.headers.has(h) ? [[h, c.res.headers.get(h)!]] : [])));
    await db()
      .update(idempotencyKeys)
      .set({ responseStatus: c.res.status, responseHeaders: headers, responseBody: await c.res.clone().text() })
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  };
}

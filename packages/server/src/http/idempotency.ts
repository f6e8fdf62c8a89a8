// Idempotency-Key for the operations the spec marks `x-cms-idempotent` (Stripe's semantics, the IETF
// draft's status codes): the first response is stored and replayed; the same key with another request
// is 422; a retry while the first still runs is 409 with Retry-After. Rows live in PostgreSQL, so every
// instance agrees.
//
// Crashes: the row of a running request names its claim (`owner`) and carries a lease that the owning
// instance renews every `heartbeatMs` while the request runs. A process that dies stops renewing, so
// within `leaseMs` a retry can tell "abandoned" from "still running" and take the key over. The request's
// change is fenced to its claim in the change's own transaction (db/idempotency-fence.ts): a superseded
// attempt cannot commit, and an attempt that committed but died before storing its response is
// recognised, and answered by `recover` (the resource as it now is) instead of being run a second time.
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { and, eq, getTableColumns, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import type { Db } from '../db/database.js';
import { type IdempotencyClaim, leaseFromNow, runUnderIdempotencyClaim } from '../db/idempotency-fence.js';
import { idempotencyKeys } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { AppEnv } from './app-env.js';

const RETENTION_MS = 24 * 3600_000;
/** Headers worth replaying (the rest are per-response). */
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface IdempotencyOptions {
  /** A claim not renewed for this long is abandoned (its process died). @default 3000 */
  leaseMs?: number;
  /** How often an instance renews the leases of the requests it runs. @default leaseMs / 5 */
  heartbeatMs?: number;
  /**
   * The answer for a retry whose first attempt committed its change on `resource` but never stored its
   * response (the process died in between); undefined when the operation's answer cannot be rebuilt.
   */
  recover?: (c: Context<AppEnv>, resource: { type: string; id: string }) => Promise<StoredResponse | undefined>;
  /** Told when renewing leases fails (the database is unreachable); requests are not failed for it. */
  onHeartbeatError?: (error: unknown) => void;
}

export function idempotency(db: () => Db, options: IdempotencyOptions = {}): MiddlewareHandler<AppEnv> {
  const leaseMs = options.leaseMs ?? 3000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(leaseMs / 5));
  const instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const heartbeat = leaseHeartbeat(db, { leaseMs, heartbeatMs, onError: options.onHeartbeatError });
  const where = (scope: string, key: string) => and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));

  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    const scope = c.get('principal').userId;
    const url = new URL(c.req.url);
    const requestHash = createHash('sha256')
      .update(`${c.req.method} ${url.pathname}${url.search}\n`)
      .update(await c.req.text())
      .digest('hex');
    const owner = `${instance}/${randomBytes(6).toString('hex')}`;

    // Claim the key: a new row, or an expired one, or an abandoned one for the same request whose
    // change never committed. A few rounds: a row may vanish or be abandoned between claim and read.
    for (let round = 0; ; round++) {
      const now = new Date();
      const expiresAt = new Date(now.getTime() + RETENTION_MS);
      const claimed = await db()
        .insert(idempotencyKeys)
        .values({ scope, key, requestHash, lockedAt: now, expiresAt, owner, leaseExpiresAt: leaseFromNow(leaseMs) })
        .onConflictDoUpdate({
          target: [idempotencyKeys.scope, idempotencyKeys.key],
          set: {
            requestHash,
            responseStatus: null,
            responseHeaders: null,
            responseBody: null,
            committedResource: null,
            lockedAt: now,
            expiresAt,
            owner,
            leaseExpiresAt: leaseFromNow(leaseMs),
          },
          setWhere: or(
            lt(idempotencyKeys.expiresAt, now),
            and(
              eq(idempotencyKeys.requestHash, requestHash),
              isNull(idempotencyKeys.responseStatus),
              isNull(idempotencyKeys.committedResource),
              or(isNull(idempotencyKeys.leaseExpiresAt), lt(idempotencyKeys.leaseExpiresAt, sql`now()`)),
            ),
          ),
        })
        .returning({ key: idempotencyKeys.key });
      if (claimed.length > 0) break;

      const [stored] = await db()
        .select({
          ...getTableColumns(idempotencyKeys),
          leaseLeftMs: sql<number>`extract(epoch from (${idempotencyKeys.leaseExpiresAt} - now())) * 1000`.mapWith(
            Number,
          ),
        })
        .from(idempotencyKeys)
        .where(where(scope, key));
      if (stored && stored.requestHash !== requestHash)
        throw new AppError('idempotency_key_reused', 'Use a new Idempotency-Key for a different request.');
      if (stored && stored.responseStatus !== null)
        return replay(c, stored.responseStatus, stored.responseHeaders ?? {}, stored.responseBody ?? '');
      const running = stored !== undefined && stored.leaseExpiresAt !== null && stored.leaseLeftMs > 0;
      if (stored?.committedResource && !running) return recoverResponse(c, stored.committedResource);
      if (running) {
        const seconds = Math.min(Math.ceil(leaseMs / 1000), Math.max(1, Math.ceil(stored.leaseLeftMs / 1000)));
        throw new AppError(
          'idempotency_key_in_use',
          'The first request with this key is still running; retry after the time in Retry-After.',
          { headers: { 'retry-after': String(seconds) } },
        );
      }
      if (round >= 2)
        throw new AppError('idempotency_key_in_use', 'Retry in a moment.', { headers: { 'retry-after': '1' } });
    }

    const claim: IdempotencyClaim = { scope, key, owner, leaseMs, active: true };
    const mine = and(where(scope, key), eq(idempotencyKeys.owner, owner));
    // Server failures are not final: the client may retry them with the same key. A change that did
    // commit keeps the row, with its lease ended, so that the retry answers it instead of running again.
    const release = async () => {
      const deleted = await db()
        .delete(idempotencyKeys)
        .where(and(mine, isNull(idempotencyKeys.committedResource)))
        .returning({ key: idempotencyKeys.key });
      if (deleted.length === 0) await db().update(idempotencyKeys).set({ leaseExpiresAt: sql`now()` }).where(mine);
    };
    // When the database is what failed, releasing fails too: the lease then lapses on its own.
    const releaseQuietly = () => release().catch(() => {});
    heartbeat.add(owner);
    try {
      await runUnderIdempotencyClaim(claim, next);
    } catch (error) {
      claim.active = false;
      heartbeat.delete(owner);
      await releaseQuietly();
      throw error;
    }
    claim.active = false;
    heartbeat.delete(owner);
    if (c.res.status >= 500 || c.error) {
      await releaseQuietly();
      return;
    }
    const headers = Object.fromEntries(
      REPLAYED_HEADERS.flatMap((h) => (c.res.headers.has(h) ? [[h, c.res.headers.get(h)!]] : [])),
    );
    await db()
      .update(idempotencyKeys)
      .set({
        responseStatus: c.res.status,
        responseHeaders: headers,
        responseBody: await c.res.clone().text(),
        owner: null,
        leaseExpiresAt: null,
      })
      .where(mine);
  };

  /** A retry of a request whose change committed while its response was lost: the resource as it now is, stored for later retries. */
  async function recoverResponse(c: Context<AppEnv>, resource: { type: string; id: string }): Promise<Response> {
    const recovered = await options.recover?.(c, resource);
    if (!recovered) {
      throw new AppError(
        'idempotency_response_lost',
        `The first request changed ${resource.type} ${resource.id}, but its response was lost; read the ${resource.type} to see the result.`,
      );
    }
    const scope = c.get('principal').userId;
    const key = c.req.header('idempotency-key')!;
    await db()
      .update(idempotencyKeys)
      .set({
        responseStatus: recovered.status,
        responseHeaders: recovered.headers,
        responseBody: recovered.body,
        owner: null,
        leaseExpiresAt: null,
      })
      .where(and(where(scope, key), isNull(idempotencyKeys.responseStatus)));
    return replay(c, recovered.status, recovered.headers, recovered.body);
  }
}

function replay(c: Context<AppEnv>, status: number, headers: Record<string, string>, body: string): Response {
  const replayed = { ...headers, 'idempotent-replayed': 'true' };
  return status === 204 ? c.body(null, 204, replayed) : c.body(body, status as never, replayed);
}

/**
 * Renews the leases of the claims this instance runs, in one statement per beat, and only while it
 * runs any. Rows locked by their own change's transaction are skipped (that transaction renews them).
 */
function leaseHeartbeat(db: () => Db, o: { leaseMs: number; heartbeatMs: number; onError?: (error: unknown) => void }) {
  const owners = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let beating = false;
  const beat = async () => {
    if (beating || owners.size === 0) return;
    beating = true;
    try {
      const held = db()
        .select({ owner: idempotencyKeys.owner })
        .from(idempotencyKeys)
        .where(inArray(idempotencyKeys.owner, [...owners]))
        .for('update', { skipLocked: true });
      await db()
        .update(idempotencyKeys)
        .set({ leaseExpiresAt: leaseFromNow(o.leaseMs) })
        .where(inArray(idempotencyKeys.owner, held));
    } catch (error) {
      o.onError?.(error);
    } finally {
      beating = false;
    }
  };
  return {
    add(owner: string) {
      owners.add(owner);
      if (timer) return;
      timer = setInterval(() => void beat(), o.heartbeatMs);
      timer.unref();
    },
    delete(owner: string) {
      owners.delete(owner);
      if (owners.size > 0 || !timer) return;
      clearInterval(timer);
      timer = undefined;
    },
  };
}

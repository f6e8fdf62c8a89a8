// Idempotency keys across crashes, on a real (embedded) database: a key whose first request died is
// taken over once its lease lapses, a running request keeps its key by its heartbeat, a superseded
// attempt cannot commit, and an attempt that committed but left no response is answered, not re-run.
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { type Handler, Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionPrincipal } from '../auth/principal.js';
import { createContract } from '../contracts/create-contract.js';
import type { Database } from '../db/database.js';
import { contracts, idempotencyKeys } from '../db/schema/index.js';
import { openTestDatabase } from '../testing/test-database.js';
import { loginUser } from '../users/login-user.js';
import type { AppEnv } from './app-env.js';
import { type IdempotencyOptions, idempotency } from './idempotency.js';
import { problemResponse, toAppError } from './problem-response.js';
import { recoverIdempotentResponse } from './recover-idempotent-response.js';

let database: Database;
let principal: SessionPrincipal;

beforeAll(async () => {
  database = await openTestDatabase();
  const did = `did:example:${randomUUID()}`;
  const target = await loginUser(database.db, did);
  principal = {
    userId: target.userId,
    did,
    organizationId: target.organizationId,
    roles: [target.role],
    sessionId: randomUUID(),
  };
});
afterAll(() => database?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LEASE = { leaseMs: 600, heartbeatMs: 100 };

/** POST /v1/contracts behind the middleware, as `createContract`; `handler` defaults to creating the contract. */
function app(options: IdempotencyOptions, handler?: Handler<AppEnv>) {
  const runs = { count: 0 };
  const hono = new Hono<AppEnv>();
  hono.use(async (c, next) => {
    c.set('principal', principal);
    c.set('operationId', 'createContract');
    await next();
  });
  hono.use(idempotency(() => database.db, { recover: recoverIdempotentResponse({ database }), ...options }));
  hono.post('/v1/contracts', async (c) => {
    runs.count++;
    if (handler) return handler(c, async () => {});
    return c.json(await createContract(database.db, principal, await c.req.json()), 201);
  });
  hono.onError((e, c) => problemResponse(c, toAppError(e)));
  const post = async (key: string, body: unknown) => {
    const res = await hono.request('/v1/contracts', {
      method: 'POST',
      headers: { 'idempotency-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  };
  return { post, runs };
}

const countTitled = async (title: string) =>
  (await database.db.select().from(contracts).where(eq(contracts.title, title))).length;
const requestHash = (body: unknown) =>
  createHash('sha256').update(`POST /v1/contracts\n`).update(JSON.stringify(body)).digest('hex');

/** The row a process that died mid-request leaves behind: its lease runs out `leaseLeftMs` from now. */
async function abandonedRow(
  key: string,
  body: unknown,
  o: { leaseLeftMs: number; committed?: { type: string; id: string } },
) {
  await database.db.insert(idempotencyKeys).values({
    scope: principal.userId,
    key,
    requestHash: requestHash(body),
    lockedAt: new Date(),
    expiresAt: new Date(Date.now() + 86_400_000),
    owner: 'dead-host:4242:abcdef/000000000000',
    leaseExpiresAt: sql`now() + ${`${o.leaseLeftMs} milliseconds`}::interval`,
    committedResource: o.committed ?? null,
  });
}

describe('a key whose first request died with its process', () => {
  it('answers 409 with Retry-After while the lease lasts, then lets the retry run it', async () => {
    const body = { title: `abandoned-${randomUUID()}` };
    await abandonedRow('k-abandoned', body, { leaseLeftMs: 1500 });
    const { post, runs } = app(LEASE);
    const early = await post('k-abandoned', body);
    expect(early.status).toBe(409);
    expect(early.json).toMatchObject({ code: 'idempotency_key_in_use' });
    expect(early.headers.get('retry-after')).toBe('1'); // the lease's remainder, capped at the lease
    expect(runs.count).toBe(0);

    await sleep(1600);
    const retried = await post('k-abandoned', body);
    expect(retried.status).toBe(201);
    expect(runs.count).toBe(1);
    expect(await countTitled(body.title)).toBe(1);
    // And it is now the stored answer.
    const again = await post('k-abandoned', body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.id).toBe(retried.json.id);
  });

  it('whose change had committed is answered with the resource as it is, without running it again', async () => {
    const body = { title: `committed-${randomUUID()}` };
    const created = await createContract(database.db, principal, body);
    await abandonedRow('k-committed', body, { leaseLeftMs: 0, committed: { type: 'contract', id: created.id } });
    const { post, runs } = app(LEASE);
    const retried = await post('k-committed', body);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.headers.get('etag')).toMatch(/^"1\./);
    expect(retried.json).toMatchObject({ id: created.id, title: body.title, status: 'draft' });
    expect(runs.count).toBe(0);
    expect(await countTitled(body.title)).toBe(1);
  });

  it('whose committed change cannot be answered again gets 409 idempotency_response_lost, never a second run', async () => {
    const body = { title: `lost-${randomUUID()}` };
    await abandonedRow('k-lost', body, { leaseLeftMs: 0, committed: { type: 'invitation', id: randomUUID() } });
    const { post, runs } = app(LEASE);
    const retried = await post('k-lost', body);
    expect(retried.status).toBe(409);
    expect(retried.json).toMatchObject({ code: 'idempotency_response_lost' });
    expect(runs.count).toBe(0);
  });
});

describe('a request that is still running', () => {
  it('keeps its key past the lease by its heartbeat: a retry waits instead of running it twice', async () => {
    const body = { title: `slow-${randomUUID()}` };
    const { post, runs } = app(LEASE, async (c) => {
      await sleep(2000); // more than three leases
      return c.json(await createContract(database.db, principal, await c.req.json()), 201);
    });
    const first = post('k-slow', body);
    await sleep(1400);
    const during = await post('k-slow', body);
    expect(during.status).toBe(409);
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const done = await first;
    expect(done.status).toBe(201);
    const after = await post('k-slow', body);
    expect(after.json.id).toBe(done.json.id);
    expect(runs.count).toBe(1);
    expect(await countTitled(body.title)).toBe(1);
  });

  it('whose key was taken over meanwhile cannot commit its change', async () => {
    const body = { title: `superseded-${randomUUID()}` };
    const { post } = app(LEASE, async (c) => {
      // What a retry on another instance does once this instance's heartbeats stopped reaching the database.
      await database.db
        .update(idempotencyKeys)
        .set({ owner: 'other-host:1:000000/111111111111' })
        .where(and(eq(idempotencyKeys.scope, principal.userId), eq(idempotencyKeys.key, 'k-superseded')));
      return c.json(await createContract(database.db, principal, await c.req.json()), 201);
    });
    const res = await post('k-superseded', body);
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ code: 'idempotency_key_in_use' });
    expect(await countTitled(body.title)).toBe(0);
  });

  it('that fails after its change committed leaves its key to be answered, not run again', async () => {
    const body = { title: `failed-after-commit-${randomUUID()}` };
    let failNext = true;
    const { post, runs } = app(LEASE, async (c) => {
      const created = await createContract(database.db, principal, await c.req.json());
      if (failNext) {
        failNext = false;
        throw new Error('lost the database after commit');
      }
      return c.json(created, 201);
    });
    expect((await post('k-after-commit', body)).status).toBe(500);
    const retried = await post('k-after-commit', body);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(runs.count).toBe(1);
    expect(await countTitled(body.title)).toBe(1);
  });
});

// Two outages users meet: PostgreSQL stopped for 10 s under concurrent load (the server stays up,
// answers 503 + Retry-After throughout, serves again within a second of PostgreSQL returning, and an
// SDK call made during the outage succeeds), and a refresh whose response is lost on the way back
// (the user stays logged in; reusing the spent token after the grace window still revokes the session).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultStack, startFaultStack } from '../support/fault-stack.js';
import { sleep } from '../support/free-port.js';
import { loggedInUsers } from '../support/write-load.js';

const GRACE_SECONDS = 3;
let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack({ CMS_REFRESH_REUSE_GRACE_SECONDS: String(GRACE_SECONDS) });
});
afterAll(async () => {
  await stack?.stop();
});

/** Milliseconds on a monotonic clock: the wall clock of a loaded VM can be stepped mid-test. */
const now = () => performance.now();

interface Answer {
  /** When the request was sent and when its answer had been read (`now()`). */
  sentAt: number;
  at: number;
  status: number;
  code?: string;
  retryAfter: string | null;
  /** The server's X-Request-Id, to find the request in its log. */
  requestId: string | null;
}

describe('PostgreSQL stopped for 10 s under concurrent load', () => {
  it('keeps the server up and answering 503 + Retry-After, serves again within a second of its return, and an SDK call made meanwhile succeeds', async () => {
    const [alice, bob] = await loggedInUsers(stack.url, 2);
    const tokens = [alice!.auth.accessToken!, bob!.auth.accessToken!];
    const startsBefore = stack.server.starts;
    const answers: Answer[] = [];
    let running = true;
    // Raw requests (no retries), so that every answer the server gives is seen.
    const loop = async (n: number) => {
      for (let i = 0; running; i++) {
        const write = i % 2 === 0;
        const sentAt = now();
        const res = await fetch(`${stack.url}/v1/contracts${write ? '' : '?limit=5'}`, {
          method: write ? 'POST' : 'GET',
          headers: {
            authorization: `Bearer ${tokens[n % 2]}`,
            'content-type': 'application/json',
            ...(write && { 'idempotency-key': randomUUID() }),
          },
          body: write ? JSON.stringify({ title: `outage-${n}-${i}` }) : undefined,
        }).catch(() => undefined);
        const text = res ? await res.text() : '';
        const code = text.startsWith('{') ? (JSON.parse(text) as { code?: string }).code : undefined;
        answers.push({
          sentAt,
          at: now(),
          status: res?.status ?? 0,
          code,
          retryAfter: res?.headers.get('retry-after') ?? null,
          requestId: res?.headers.get('x-request-id') ?? null,
        });
        await sleep(50);
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(loop));
    await sleep(1000);

    await stack.postgres.stop('fast');
    const downAt = now();
    await sleep(2000);
    // An SDK call (default settings) in the middle of the outage: it must outlast it.
    const sdkCall = alice!.contracts.create({ title: `during-outage-${randomUUID()}` });
    await sleep(8000);
    // PostgreSQL may accept connections before `pg_ctl start -w` returns (it polls every 100 ms, later under
    // load): the outage ends, as far as the test knows, when the start is asked for.
    const restartAt = now();
    await stack.postgres.start();
    const backAt = now();
    const created = await sdkCall;
    await sleep(3000);
    running = false;
    await load;

    // Sent after PostgreSQL had stopped (pg_ctl returned) and answered before its start was asked for.
    const during = answers.filter((a) => a.sentAt > downAt && a.at < restartAt);
    const firstOkAfter = answers.find((a) => a.at >= backAt && a.status >= 200 && a.status < 300);
    const statuses = [...new Set(answers.map((a) => a.status))].sort();
    console.log(
      `PostgreSQL outage: ${answers.length} answers; during the ${((backAt - downAt) / 1000).toFixed(1)} s outage ${during.length}, statuses ${statuses.join(', ')}; ` +
        `first success ${firstOkAfter ? firstOkAfter.at - backAt : '–'} ms after PostgreSQL accepted connections again`,
    );

    expect(stack.server.exits).toEqual([]);
    expect(stack.server.starts).toBe(startsBefore);
    expect(during.length).toBeGreaterThan(20);
    // Throughout the outage: 503 database_unavailable with Retry-After, never a 500 (nor anything else).
    const wrong = during.filter((a) => a.status !== 503 || a.code !== 'database_unavailable' || a.retryAfter !== '2');
    const logOf = (a: Answer) =>
      stack.server
        .output()
        .split('\n')
        .filter((l) => a.requestId && l.includes(a.requestId));
    expect(wrong.map((a) => ({ ...a, log: logOf(a) }))).toEqual([]);
    expect(answers.filter((a) => a.status >= 500 && a.status !== 503)).toEqual([]);
    expect(firstOkAfter, 'a success after PostgreSQL returned').toBeDefined();
    expect(firstOkAfter!.at - backAt).toBeLessThanOrEqual(1000);
    expect(created).toMatchObject({ status: 'draft' });
    expect(stack.server.errorLogs.filter((l) => l.msg === 'unexpected error')).toEqual([]);
  });
});

describe('a refresh response lost after the server rotated the token', () => {
  it('does not log the user out: the SDK retries and gets the same new pair', async () => {
    const [user] = await loggedInUsers(stack.url, 1);
    const spent = user!.auth.refreshToken!;
    let refreshes = 0;
    stack.proxy.filter = (method, path) => method === 'POST' && path === '/v1/auth/refresh' && refreshes++ === 0;
    stack.proxy.dropRate = 1;
    const droppedBefore = stack.proxy.dropped;
    let token: Awaited<ReturnType<NonNullable<typeof user>['auth']['refresh']>> | undefined;
    try {
      token = await user!.auth.refresh();
    } finally {
      stack.proxy.dropRate = 0;
      stack.proxy.filter = () => true;
    }
    expect(stack.proxy.dropped - droppedBefore).toBe(1);
    expect(refreshes).toBe(2);
    expect(token.refreshToken).not.toBe(spent);
    // Still logged in, on the same session, and the new refresh token works.
    expect((await user!.me.get()).userId).toBe(token.userId);
    expect((await user!.sessions.list()).filter((s) => s.current).map((s) => s.id)).toEqual([token.sessionId]);
    expect((await user!.auth.refresh()).sessionId).toBe(token.sessionId);
  });

  it('still revokes the session when the spent token comes back after the grace window', async () => {
    const [user] = await loggedInUsers(stack.url, 1);
    const spent = user!.auth.refreshToken!;
    await user!.auth.refresh();
    await sleep(GRACE_SECONDS * 1000 + 1500);
    const replay = await fetch(`${stack.url}/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: spent }),
    });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ code: 'refresh_token_reused' });
    // The holder's current tokens died with the session.
    expect(await user!.me.get().catch((e: unknown) => e)).toMatchObject({ status: 401 });
    expect(user!.auth.accessToken).toBeUndefined();
  });
});

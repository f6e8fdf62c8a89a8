// GET /v1/events against a real server (PGlite, in-process event bus): who receives which events,
// filters, resuming with Last-Event-ID, heartbeats, and how streams end.
import { eq, lte } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractEvents } from '../src/db/schema/index.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient } from './api-helpers.js';
import { openSse, type SseFrame } from './support/sse-reader.js';

type User = Awaited<ReturnType<typeof loggedInClient>>;
const body = (f: SseFrame) =>
  JSON.parse(f.data!) as {
    id: string;
    type: string;
    contractId: string;
    organizationId: string;
    occurredAt: string;
    data: Record<string, unknown>;
  };

describe('event streams', () => {
  let server: TestServer;
  let owner: User;
  let party: User;
  let tenant: User;

  beforeAll(async () => {
    server = await startTestServer();
    [owner, party, tenant] = await Promise.all([
      loggedInClient(server.url),
      loggedInClient(server.url),
      loggedInClient(server.url),
    ]);
  });
  afterAll(() => server?.close());

  it('streams created, sent, viewed, signed and executed events to the organization and to a party of another organization', async () => {
    const ownStream = await openSse(server.url, owner.client.auth.accessToken!);
    const partyStream = await openSse(server.url, party.client.auth.accessToken!);
    expect(ownStream.status).toBe(200);
    expect(ownStream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    // First frame: the reconnection hint.
    expect((await ownStream.next())!.retry).toBe(3000);
    expect((await partyStream.next())!.retry).toBe(3000);

    // The party must not see a contract it is not a party to, so this one comes first and is skipped.
    const unrelated = await owner.client.contracts.create({ title: 'Internal' });
    const c = await owner.client.contracts.create({ title: 'NDA', parties: [{ did: party.key.did, role: 'signer' }] });
    await owner.client.contracts.send(c.id);
    await party.client.contracts.get(c.id);
    await party.client.contracts.sign(c.id, { signer: party.signer });

    const own = await ownStream.events(6);
    expect(own.map((f) => [f.event, body(f).contractId])).toEqual([
      ['contract.created', unrelated.id],
      ['contract.created', c.id],
      ['contract.sent', c.id],
      ['contract.viewed', c.id],
      ['contract.signed', c.id],
      ['contract.executed', c.id],
    ]);
    // SSE ids are the events' ids, increasing; data is a ContractEvent.
    const ids = own.map((f) => Number(f.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(own.map((f) => body(f).id)).toEqual(own.map((f) => f.id));
    expect(body(own[4]!)).toMatchObject({
      type: 'contract.signed',
      organizationId: owner.token.organizationId,
      data: { status: 'executed', revision: 4, actorDid: party.key.did, partyDid: party.key.did },
    });
    expect(body(own[1]!).data).toEqual({ status: 'draft', revision: 1, actorDid: owner.key.did });

    const seenByParty = await partyStream.events(5);
    expect(seenByParty.map((f) => [f.event, body(f).contractId])).toEqual([
      ['contract.created', c.id],
      ['contract.sent', c.id],
      ['contract.viewed', c.id],
      ['contract.signed', c.id],
      ['contract.executed', c.id],
    ]);
    await Promise.all([ownStream.close(), partyStream.close()]);
  });

  it('shows another organization nothing of this one', async () => {
    const stream = await openSse(server.url, tenant.client.auth.accessToken!);
    await stream.next();
    const theirs = await owner.client.contracts.create({
      title: 'Not yours',
      parties: [{ did: party.key.did, role: 'signer' }],
    });
    await owner.client.contracts.send(theirs.id);
    const mine = await tenant.client.contracts.create({ title: 'Mine' });
    // The tenant's first event is its own contract: nothing of the other organization came before it.
    const [first] = await stream.events(1);
    expect([first!.event, body(first!).contractId, body(first!).organizationId]).toEqual([
      'contract.created',
      mine.id,
      tenant.token.organizationId,
    ]);
    await stream.close();
  });

  it('filters by event types and by contract', async () => {
    const a = await owner.client.contracts.create({ title: 'A', parties: [{ did: party.key.did, role: 'signer' }] });
    const b = await owner.client.contracts.create({ title: 'B', parties: [{ did: party.key.did, role: 'signer' }] });
    const token = owner.client.auth.accessToken!;
    const sent = await openSse(server.url, token, '?types=contract.sent,contract.voided');
    const ofB = await openSse(server.url, token, `?contractId=${b.id}`);
    await owner.client.contracts.send(a.id);
    await owner.client.contracts.update(b.id, { title: 'B2' });
    await owner.client.contracts.send(b.id);
    await owner.client.contracts.void(a.id, 'superseded');
    expect((await sent.events(3)).map((f) => [f.event, body(f).contractId])).toEqual([
      ['contract.sent', a.id],
      ['contract.sent', b.id],
      ['contract.voided', a.id],
    ]);
    expect((await ofB.events(2)).map((f) => [f.event, body(f).contractId])).toEqual([
      ['contract.updated', b.id],
      ['contract.sent', b.id],
    ]);
    await Promise.all([sent.close(), ofB.close()]);
  });

  it('rejects unknown event types and malformed event ids with validation problems', async () => {
    const token = owner.client.auth.accessToken!;
    const badType = await openSse(server.url, token, '?types=contract.sent,contract.exploded');
    expect([badType.status, badType.problem.code, badType.problem.errors]).toEqual([
      422,
      'validation_failed',
      [{ path: '/query/types', message: 'unknown event type contract.exploded' }],
    ]);
    const badId = await openSse(server.url, token, '', { 'last-event-id': 'abc' });
    expect([badId.status, badId.problem.code]).toEqual([422, 'validation_failed']);
    expect(badId.headers.get('content-type')).toBe('application/problem+json');
  });

  it('replays exactly the missed events after Last-Event-ID (header or query), then continues live', async () => {
    const token = owner.client.auth.accessToken!;
    const first = await openSse(server.url, token, '?types=contract.created');
    const before = await owner.client.contracts.create({ title: 'Seen' });
    const [seen] = await first.events(1);
    expect(body(seen!).contractId).toBe(before.id);
    await first.close();

    const missed = [];
    for (const title of ['Missed 1', 'Missed 2', 'Missed 3'])
      missed.push((await owner.client.contracts.create({ title })).id);
    const resumes: { headers: Record<string, string>; query: string }[] = [
      { headers: { 'last-event-id': seen!.id! }, query: '?types=contract.created' },
      { headers: {}, query: `?types=contract.created&lastEventId=${seen!.id}` },
    ];
    for (const resume of resumes) {
      const again = await openSse(server.url, token, resume.query, resume.headers);
      expect((await again.events(missed.length)).map((f) => body(f).contractId)).toEqual(missed);
      const live = await owner.client.contracts.create({ title: 'Live' });
      expect(body((await again.events(1))[0]!).contractId).toBe(live.id);
      missed.push(live.id);
      await again.close();
    }
  });

  it('announces a reset when Last-Event-ID is older than the kept events or was never issued', async () => {
    const token = owner.client.auth.accessToken!;
    const purged = await owner.client.contracts.create({ title: 'Soon purged' });
    const kept = await owner.client.contracts.create({ title: 'Kept' });
    const { db } = server.services.database;
    const idOf = async (contractId: string) =>
      (
        await db.select({ id: contractEvents.id }).from(contractEvents).where(eq(contractEvents.contractId, contractId))
      )[0]!.id;
    const purgedId = await idOf(purged.id);
    // Retention: an operator deleted the oldest events.
    await db.delete(contractEvents).where(lte(contractEvents.id, purgedId));
    const expired = await openSse(server.url, token, '', { 'last-event-id': String(purgedId) });
    const reset = (await expired.until((f) => f.event === 'reset')).at(-1)!;
    expect(JSON.parse(reset.data!)).toEqual({ reason: 'expired', lastEventId: String(purgedId) });
    // The reset names the newest event (not replayed): resuming from it later misses nothing.
    expect(reset.id).toBe(String(await idOf(kept.id)));
    const after = await owner.client.contracts.create({ title: 'After the reset' });
    expect(body((await expired.events(1))[0]!).contractId).toBe(after.id);
    await expired.close();

    const unknown = await openSse(server.url, token, '', { 'last-event-id': '999999999' });
    const unknownReset = (await unknown.until((f) => f.event === 'reset')).at(-1)!;
    expect(JSON.parse(unknownReset.data!)).toEqual({ reason: 'unknown', lastEventId: '999999999' });
    await unknown.close();
  });
});

describe('stream lifetime', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ events: { heartbeatMs: 200, maxStreamsPerUser: 2, retryMs: 3000 } });
  });
  afterAll(() => server?.close());

  it('sends heartbeat comments on an idle stream', async () => {
    const user = await loggedInClient(server.url);
    const stream = await openSse(server.url, user.client.auth.accessToken!);
    const frames = await stream.until((f) => f.comments.includes('keep-alive'));
    expect(frames.at(-1)).toEqual({ comments: ['keep-alive'] });
    await stream.close();
  });

  it('bounds the streams one user holds, and frees a slot when a stream ends', async () => {
    const user = await loggedInClient(server.url);
    const token = user.client.auth.accessToken!;
    const one = await openSse(server.url, token);
    const two = await openSse(server.url, token);
    const three = await openSse(server.url, token);
    expect([three.status, three.problem.code, three.headers.get('retry-after')]).toEqual([
      429,
      'too_many_streams',
      '3',
    ]);
    // Another user is not affected.
    const other = await loggedInClient(server.url);
    const theirs = await openSse(server.url, other.client.auth.accessToken!);
    expect(theirs.status).toBe(200);
    await one.close();
    // The server notices the closed connection at its next write (a heartbeat at the latest).
    let again = await openSse(server.url, token);
    while (again.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await openSse(server.url, token);
    }
    expect(again.status).toBe(200);
    await Promise.all([two.close(), again.close(), theirs.close()]);
  });

  it('ends the stream when the session ends', async () => {
    const user = await loggedInClient(server.url);
    const stream = await openSse(server.url, user.client.auth.accessToken!);
    await stream.next();
    await user.client.auth.logout();
    // Ends at the next heartbeat's session check instead of streaming to a logged-out client.
    const frames = await stream.until(() => false);
    expect(frames.every((f) => f.data === undefined)).toBe(true);
    expect(await stream.next()).toBeUndefined();
  });
});

describe('token expiry', () => {
  it('ends the stream when its access token expires', async () => {
    // Heartbeats (and so session checks) far apart: only the token's expiry can end this stream.
    const server = await startTestServer({ accessTokenTtlSeconds: 2 });
    try {
      const user = await loggedInClient(server.url);
      const stream = await openSse(server.url, user.client.auth.accessToken!);
      // The stream would otherwise run forever; the client reconnects with a fresh token.
      await stream.until(() => false);
      expect(await stream.next()).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('server shutdown', () => {
  it('ends every stream when the server closes', async () => {
    const server = await startTestServer();
    const user = await loggedInClient(server.url);
    const stream = await openSse(server.url, user.client.auth.accessToken!);
    await stream.next();
    // close() resolves only once the HTTP server has closed, so the stream must have ended by itself.
    await server.close();
    await stream.until(() => false);
    expect(await stream.next()).toBeUndefined();
  });
});

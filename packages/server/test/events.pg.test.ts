// Live events across two server instances sharing PostgreSQL and Redis: a change committed on one
// reaches a stream held on the other through Redis pub/sub, including `contract.anchored` written by
// one instance's ledger worker (embedded chain). Needs the real services: the integration suite runs it.

import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceEvents } from '../src/events/announce-events.js';
import { recordContractEvents } from '../src/events/record-contract-events.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { createScratchDatabase } from '../src/testing/test-database.js';
import { loggedInClient, request } from './api-helpers.js';
import { openSse } from './support/sse-reader.js';

const adminUrl = process.env.CMS_TEST_DATABASE_URL!;
const redisUrl = process.env.CMS_TEST_REDIS_URL!;

describe('events across two instances sharing PostgreSQL and Redis', () => {
  let a: TestServer;
  let b: TestServer;
  let drop: () => Promise<void>;
  let databaseUrl: string;

  beforeAll(async () => {
    const scratch = await createScratchDatabase(adminUrl);
    drop = scratch.drop;
    databaseUrl = scratch.url;
    const shared = {
      database: { engine: 'postgres' as const, url: scratch.url, poolSize: 3 },
      keyValueStore: {
        engine: 'redis' as const,
        url: redisUrl,
        keyPrefix: `cms-test-${randomBytes(6).toString('hex')}:`,
      },
      dataDir: mkdtempSync(join(tmpdir(), 'cms-events-')),
      publicUrl: 'http://cms.test',
    };
    // A writes and anchors (its own embedded chain); B only serves streams. B's heartbeat (which also
    // re-reads the table) is far beyond the test's timeout: only a Redis notice can wake B's streams in time.
    a = await startTestServer({ ...shared, chain: { mode: 'embedded', confirmations: 1 } });
    b = await startTestServer({ ...shared, events: { heartbeatMs: 600_000, maxStreamsPerUser: 10, retryMs: 3000 } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it('delivers a change made on instance A to a stream on instance B, to the owner and to a party of another organization', async () => {
    const [owner, party] = [await loggedInClient(a.url), await loggedInClient(a.url)];
    const ownStream = await openSse(b.url, owner.client.auth.accessToken!, '?types=contract.created,contract.sent');
    const partyStream = await openSse(b.url, party.client.auth.accessToken!, '?types=contract.created,contract.sent');
    await Promise.all([ownStream.next(), partyStream.next()]);
    const c = await owner.client.contracts.create({
      title: 'Across instances',
      parties: [{ did: party.key.did, role: 'signer' }],
    });
    await owner.client.contracts.send(c.id);
    for (const stream of [ownStream, partyStream]) {
      const events = (await stream.events(2)).map((f) => JSON.parse(f.data!));
      expect(events.map((e) => [e.type, e.contractId])).toEqual([
        ['contract.created', c.id],
        ['contract.sent', c.id],
      ]);
    }
    await Promise.all([ownStream.close(), partyStream.close()]);
  });

  it('never skips an event whose transaction commits after a later change began', async () => {
    const owner = await loggedInClient(a.url);
    const c = await owner.client.contracts.create({ title: 'Race' });
    const stream = await openSse(b.url, owner.client.auth.accessToken!, `?types=contract.updated&contractId=${c.id}`);
    await stream.next();
    const { db } = a.services.database;
    // A slow transaction writes an event and stays uncommitted…
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    const slow = db
      .transaction(async (tx) => {
        const notice = await recordContractEvents(tx, [
          {
            organizationId: owner.token.organizationId,
            contractId: c.id,
            type: 'contract.updated',
            payload: { status: 'draft', revision: 0, actorDid: 'slow' },
            occurredAt: new Date(),
          },
        ]);
        written();
        await held;
        return notice;
      })
      .then((notice) => announceEvents(db, notice));
    await wrote;
    // …while a quick change of the same contract starts: it must queue behind the slow one's event id.
    let quickDone = false;
    const quick = owner.client.contracts.update(c.id, { title: 'Quick' }).finally(() => (quickDone = true));
    // Until it waits for the event-order lock (or, were there none, has committed first). Watched on a
    // connection of its own: A's small pool may be taken by the slow transaction and writers queued behind it
    // (the ledger worker recording contract.anchored).
    const observer = new pg.Client({ connectionString: databaseUrl });
    try {
      await observer.connect();
      while (!quickDone) {
        const { rows } = await observer.query<{ n: number }>(
          "select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted",
        );
        if (rows[0]!.n > 0) break;
      }
    } finally {
      release();
      await observer.end();
    }
    await Promise.all([slow, quick]);
    // Had the quick change committed first with a higher id, the stream would have passed over the slow one.
    const events = (await stream.events(2)).map((f) => JSON.parse(f.data!));
    expect(events.map((e) => e.data.actorDid)).toEqual(['slow', owner.key.did]);
    await stream.close();
  });

  it('delivers contract.anchored, written by A’s ledger worker, to a stream on B', async () => {
    const owner = await loggedInClient(a.url);
    const stream = await openSse(b.url, owner.client.auth.accessToken!, '?types=contract.anchored');
    await stream.next();
    const c = await owner.client.contracts.create({ title: 'Anchored' });
    const [frame] = await stream.events(1);
    const event = JSON.parse(frame!.data!);
    expect(event).toMatchObject({
      type: 'contract.anchored',
      contractId: c.id,
      organizationId: owner.token.organizationId,
    });
    expect(event.data).toEqual({
      batchId: expect.any(String),
      chainId: expect.any(Number),
      transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      blockNumber: expect.any(Number),
    });
    // The event names the confirmed batch and its transaction, as the ledger API reports them.
    const batch = (
      await request(a.url, 'GET', `/v1/ledger/batches/${event.data.batchId}`, { token: owner.client.auth.accessToken! })
    ).json;
    expect(batch).toMatchObject({
      status: 'confirmed',
      transactionHash: event.data.transactionHash,
      blockNumber: event.data.blockNumber,
    });
    await stream.close();
  });
});

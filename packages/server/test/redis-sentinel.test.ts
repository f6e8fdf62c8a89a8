// Redis behind Sentinel: a server configured with sentinels (REDIS_SENTINELS / REDIS_SENTINEL_NAME) keeps
// its sessions, login challenges, rate limits and event fan-out through a `kill -9` of the master, without
// a restart, and keeps working when the old master comes back as a replica. Real redis-server and
// sentinel processes on free ports (test/support/redis-sentinel-cluster.ts).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient } from '../src/cache/redis-client.js';
import { loadConfig, type ServerConfig } from '../src/config.js';
import type { EventBus, EventNotice } from '../src/events/event-bus.js';
import { createRedisEventBus } from '../src/events/redis-event-bus.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';
import { SENTINEL_MASTER_NAME, type SentinelCluster, startSentinelCluster } from './support/redis-sentinel-cluster.js';
import { waitUntil } from './support/wait-until.js';

let cluster: SentinelCluster;
let server: TestServer;
let buses: EventBus[] = [];

beforeAll(async () => {
  cluster = await startSentinelCluster();
}, 60_000);
afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
  await server?.close();
  await cluster?.stop();
});

function sentinelStore(): ServerConfig['keyValueStore'] {
  // Exactly what the environment gives the server.
  const config = loadConfig({
    REDIS_SENTINELS: cluster.sentinels.map((s) => `${s.host}:${s.port}`).join(','),
    REDIS_SENTINEL_NAME: SENTINEL_MASTER_NAME,
    CMS_REDIS_KEY_PREFIX: `cms-sentinel-${randomBytes(4).toString('hex')}:`,
  });
  return config.keyValueStore;
}

async function waitForReplication(port: number): Promise<void> {
  const master = new Redis({ host: '127.0.0.1', port });
  // Everything written so far is on the replica before the master dies (replication is asynchronous).
  expect(await master.call('WAIT', '1', '5000')).toBe(1);
  master.disconnect();
}

function nextNotice(bus: EventBus, eventId: number): Promise<EventNotice> {
  return new Promise((resolve) => {
    const off = bus.subscribe((n) => {
      if (n.eventId !== eventId) return;
      off();
      resolve(n);
    });
  });
}

/** Commands fail while the sentinels fail over: a failing check means "not yet". */
const failingOver = { timeoutMs: 30_000, intervalMs: 200, ignoreErrors: true };

describe('Redis Sentinel failover', () => {
  it('the server follows a new master: sessions survive, logins, limits and event fan-out keep working', async () => {
    const kv = sentinelStore();
    expect(kv).toMatchObject({ engine: 'redis', sentinel: { name: SENTINEL_MASTER_NAME, nodes: cluster.sentinels } });
    const defaults = loadConfig({});
    server = await startTestServer({ keyValueStore: kv, rateLimit: { ...defaults.rateLimit, enabled: true } });
    const busConfig = { ...(kv as Extract<typeof kv, { engine: 'redis' }>) };
    buses = await Promise.all([createRedisEventBus(busConfig), createRedisEventBus(busConfig)]);

    const alice = await loggedInClient(server.url);
    const me = await request(server.url, 'GET', '/v1/me', { token: alice.token.accessToken });
    expect(me.status).toBe(200);
    expect(me.headers.get('ratelimit')).not.toBeNull();
    const delivered = nextNotice(buses[1]!, 1);
    buses[0]!.publish({ eventId: 1, organizationIds: ['o'], partyDids: [] });
    await delivered;

    const oldMaster = await cluster.masterPort();
    await waitForReplication(oldMaster);
    cluster.kill(oldMaster);
    const newMaster = await cluster.waitForFailover(oldMaster);
    expect(newMaster).not.toBe(oldMaster);

    // During the window requests that need Redis answer 503 (retryable), never 500 and never a pass.
    const statuses: number[] = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await request(server.url, 'GET', '/v1/me', { token: alice.token.accessToken });
      statuses.push(res.status);
      if (res.status === 200 || Date.now() > deadline) break;
      expect(res.status).toBe(503);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(statuses.at(-1)).toBe(200);
    // The session written before the failover is on the new master: the same token still works.
    expect((await request(server.url, 'GET', '/v1/me', { token: alice.token.accessToken })).json.did).toBe(
      alice.key.did,
    );

    // New writes (a login's challenge and session, rate-limit counters) land on the new master.
    const bob = await loggedInClient(server.url);
    const bobMe = await request(server.url, 'GET', '/v1/me', { token: bob.token.accessToken });
    expect(bobMe.status).toBe(200);
    // The rate limiter has its own connection, which may find the new master a moment after the session
    // store did (meanwhile it fails open, uncounted): it must be counting again soon.
    await waitUntil(
      async () =>
        (await request(server.url, 'GET', '/v1/me', { token: bob.token.accessToken })).headers.get('ratelimit') !==
        null,
      { ...failingOver, timeoutMs: 10_000, what: 'the rate limiter counting on the new master' },
    );
    await waitUntil(
      async () => {
        const later = nextNotice(buses[1]!, 2);
        buses[0]!.publish({ eventId: 2, organizationIds: ['o'], partyDids: [] });
        return Promise.race([later.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 500))]);
      },
      { ...failingOver, what: 'event notices between the buses again' },
    );

    // The old master comes back (with its append-only file) and the sentinels make it a replica: the
    // server keeps writing to the new master.
    await cluster.restart(oldMaster);
    await waitUntil(
      async () => {
        const old = new Redis({ host: '127.0.0.1', port: oldMaster });
        const role = (await old.role())[0];
        old.disconnect();
        return role === 'slave';
      },
      { ...failingOver, what: 'the old master to be a replica' },
    );
    const carol = await loggedInClient(server.url);
    expect((await request(server.url, 'GET', '/v1/me', { token: carol.token.accessToken })).status).toBe(200);
    expect(await cluster.masterPort()).toBe(newMaster);
    console.log(
      `Sentinel failover ${oldMaster} -> ${newMaster}: ${statuses.length - 1} request(s) answered 503 in the window`,
    );
  }, 120_000);
});

describe('a Redis client through Sentinel', () => {
  it('reconnects by itself when ioredis ends it in the failover race', async () => {
    // The race (ioredis 6): the failover detector of a lost connection disconnects the connector while a
    // reconnect is still asking the sentinels for the master; that connect rejects and ioredis ends the client.
    const client = createRedisClient(
      { url: 'redis://', sentinel: { nodes: cluster.sentinels, name: SENTINEL_MASTER_NAME } },
      { lazyConnect: true, maxRetriesPerRequest: 1 },
    );
    try {
      await client.connect();
      const key = `race-${randomBytes(4).toString('hex')}`;
      await client.set(key, 'kept');
      client.on('error', () => {});
      const ended = new Promise((resolve) => client.once('end', resolve));
      client.once('connecting', () =>
        (client as unknown as { connector: { disconnect(): void } }).connector.disconnect(),
      );
      client.disconnect(true);
      await ended;
      await waitUntil(async () => client.status === 'ready' && (await client.get(key)) === 'kept', {
        ...failingOver,
        timeoutMs: 10_000,
        what: 'the client reconnected to the new master',
      });
      await client.del(key);
    } finally {
      client.disconnect();
    }
  });
});

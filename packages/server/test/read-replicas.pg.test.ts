// Read replicas on a private cluster (a primary and two streaming replicas on free ports): reads go to
// replicas that have replayed the caller's last write, a replica that dies or lags beyond the bound is
// ejected without failing a read and rejoins when healthy, and read-your-writes holds across two real
// server processes sharing the primary, the replicas and Redis. Replay is paused on a replica
// (`pg_wal_replay_pause()`) to make "which server answered" visible.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/cache/redis-store.js';
import { loadConfig } from '../src/config.js';
import { type RunningServer, startServer } from '../src/server.js';
import { loggedInClient, request } from './api-helpers.js';
import { waitUntil } from './ledger-helpers.js';
import { type ReplicatedCluster, startReplicatedCluster } from './support/replicated-cluster.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';

let cluster: ReplicatedCluster;

beforeAll(async () => {
  cluster = await startReplicatedCluster({ replicas: 2 });
}, 180_000);
afterAll(() => cluster?.stop());

async function startWithReplicas(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    CMS_LOG_LEVEL: 'silent',
    CMS_RATE_LIMIT: 'off',
    CMS_CHAIN: 'disabled',
    DATABASE_URL: cluster.primaryUrl,
    DATABASE_REPLICA_URLS: cluster.replicaUrls.join(','),
    DATABASE_REPLICA_PROBE_INTERVAL_MS: '100',
    ...env,
  });
  const server = await startServer({ ...config, dataDir: undefined, webDir: undefined });
  await waitUntil(
    async () => server.services.database.replicas!.states().every((r) => r.status === 'up'),
    20_000,
    'both replicas up',
  );
  return server;
}

async function onReplica<T>(i: number, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: cluster.replicaUrls[i] });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}
const pauseReplay = (i: number) => onReplica(i, (c) => c.query('select pg_wal_replay_pause()'));
const resumeReplay = (i: number) => onReplica(i, (c) => c.query('select pg_wal_replay_resume()')).catch(() => {});
const readyz = async (url: string) => request(url, 'GET', '/readyz');
const metric = async (url: string, line: RegExp) =>
  Number(line.exec((await request(url, 'GET', '/metrics')).text)?.[1] ?? 0);
const replicaReads = (url: string) => metric(url, /^cms_database_reads_total\{target="replica"\} (\d+)$/m);

describe('one instance', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startWithReplicas();
  });
  afterAll(async () => {
    await Promise.all([resumeReplay(0), resumeReplay(1)]);
    await server?.close();
  });

  it('sends a writer to the primary until a replica has replayed its write, and others to the replicas', async () => {
    const [writer, party] = await Promise.all([loggedInClient(server.url), loggedInClient(server.url)]);
    await Promise.all([pauseReplay(0), pauseReplay(1)]);
    try {
      const c = await writer.client.contracts.create({
        title: 'Replicated',
        parties: [{ did: party.key.did, role: 'signer' }],
      });
      // However long the replicas stay behind, the writer reads its own write.
      for (let i = 0; i < 5; i++) {
        expect((await writer.client.contracts.get(c.id)).title).toBe('Replicated');
        expect((await writer.client.contracts.list()).data.map((x) => x.id)).toContain(c.id);
        await new Promise((r) => setTimeout(r, 200));
      }
      // The party never wrote: its reads go to the paused replicas, which have not seen the contract.
      const before = await replicaReads(server.url);
      expect(await party.client.contracts.get(c.id).catch((e) => e.code)).toBe('not_found');
      expect(await replicaReads(server.url)).toBeGreaterThan(before);
    } finally {
      await Promise.all([resumeReplay(0), resumeReplay(1)]);
    }
    // Once replayed (and probed), the writer's reads go to the replicas too.
    const written = (await writer.client.contracts.list()).data[0]!;
    await waitUntil(
      async () => {
        const before = await replicaReads(server.url);
        expect((await writer.client.contracts.get(written.id)).title).toBe('Replicated');
        return (await replicaReads(server.url)) > before;
      },
      10_000,
      'the writer served by a replica',
    );
  });

  it('never sends a write to a replica: a party whose first view is read from a replica is marked viewed on the primary', async () => {
    const [owner, party] = await Promise.all([loggedInClient(server.url), loggedInClient(server.url)]);
    const draft = await owner.client.contracts.create({
      title: 'To be viewed',
      parties: [{ did: party.key.did, role: 'signer' }],
    });
    await owner.client.contracts.send(draft.id);
    await waitUntil(
      async () => (await party.client.contracts.get(draft.id).catch(() => undefined)) !== undefined,
      10_000,
      'the contract on the replicas',
    );
    const viewed = await owner.client.contracts.get(draft.id);
    expect(viewed.parties.find((p) => p.did === party.key.did)?.status).toBe('viewed');
  });

  it('ejects a killed replica without failing a read, reports it on /readyz, and takes it back after a restart', async () => {
    const users = await Promise.all([
      loggedInClient(server.url),
      loggedInClient(server.url),
      loggedInClient(server.url),
    ]);
    const contracts = await Promise.all(
      users.map((u, i) => u.client.contracts.create({ title: `read under fire ${i}` })),
    );
    // Let the replicas replay the writes (and be probed), so the readers are served by them.
    await new Promise((r) => setTimeout(r, 500));
    const failures: unknown[] = [];
    let reads = 0;
    let reading = true;
    const readers = users.map(async (u, i) => {
      while (reading) {
        try {
          expect((await u.client.contracts.get(contracts[i]!.id, { maxRetries: 0 })).title).toBe(
            `read under fire ${i}`,
          );
          expect((await u.client.contracts.list({}, { maxRetries: 0 })).data.length).toBeGreaterThan(0);
          await u.client.contracts.history(contracts[i]!.id, { maxRetries: 0 });
          // Built in a read-only repeatable-read transaction on the replica.
          expect((await u.client.contracts.evidence(contracts[i]!.id, { maxRetries: 0 })).contract.id).toBe(
            contracts[i]!.id,
          );
          reads += 4;
        } catch (error) {
          failures.push(error);
        }
      }
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      cluster.killReplica(0);
      await waitUntil(
        async () => (await readyz(server.url)).json?.checks?.replicas?.[0]?.status === 'down',
        10_000,
        'replica-1 reported down',
      );
      const down = await readyz(server.url);
      expect(down.status).toBe(200);
      expect(down.json).toMatchObject({
        status: 'degraded',
        checks: {
          database: { status: 'up' },
          replicas: [
            { name: 'replica-1', status: 'down', required: false },
            { name: 'replica-2', status: 'up' },
          ],
        },
      });
      await new Promise((r) => setTimeout(r, 1_000)); // reads keep going with one replica out
      cluster.startReplica(0);
      await waitUntil(
        async () => (await readyz(server.url)).json?.checks?.replicas?.[0]?.status === 'up',
        30_000,
        'replica-1 back',
      );
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      reading = false;
      await Promise.all(readers);
    }
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(30);
    expect((await readyz(server.url)).json).toMatchObject({
      status: 'ok',
      checks: { replicas: [{ status: 'up' }, { status: 'up' }] },
    });
    expect(
      await metric(server.url, /^cms_database_replica_ejections_total\{replica="replica-1",status="down"\} (\d+)$/m),
    ).toBeGreaterThanOrEqual(1);
    expect(await metric(server.url, /^cms_database_replica_up\{replica="replica-1",status="up"\} (\d+)$/m)).toBe(1);
  });
});

describe('lag bound', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startWithReplicas({ DATABASE_REPLICA_MAX_LAG_MS: '500' });
  });
  afterAll(async () => {
    await resumeReplay(1);
    await server?.close();
  });

  it('ejects a replica whose replay falls behind DATABASE_REPLICA_MAX_LAG_MS, and takes it back once it caught up', async () => {
    const [writer, party] = await Promise.all([loggedInClient(server.url), loggedInClient(server.url)]);
    await pauseReplay(1);
    try {
      const shared = await writer.client.contracts.create({
        title: 'seen by the party',
        parties: [{ did: party.key.did, role: 'signer' }],
      });
      // The primary moves on while replica-2 stands still.
      for (let i = 0; i < 8; i++) {
        await writer.client.contracts.create({ title: `moving on ${i}` });
        await new Promise((r) => setTimeout(r, 150));
      }
      await waitUntil(
        async () => (await readyz(server.url)).json?.checks?.replicas?.[1]?.status === 'lagging',
        10_000,
        'replica-2 lagging',
      );
      const lagging = (await readyz(server.url)).json;
      expect(lagging).toMatchObject({
        status: 'degraded',
        checks: { replicas: [{ status: 'up' }, { name: 'replica-2', status: 'lagging', required: false }] },
      });
      expect(lagging.checks.replicas[1].lagMs).toBeGreaterThan(500);
      expect(lagging.checks.replicas[1].detail).toContain('DATABASE_REPLICA_MAX_LAG_MS=500');
      expect(
        await metric(server.url, /^cms_database_replica_lag_seconds\{replica="replica-2"\} ([\d.]+)$/m),
      ).toBeGreaterThan(0.5);
      expect(
        await metric(
          server.url,
          /^cms_database_replica_ejections_total\{replica="replica-2",status="lagging"\} (\d+)$/m,
        ),
      ).toBeGreaterThanOrEqual(1);
      // The party never wrote, so any serving replica may answer it: only replica-1, which is current,
      // still serves, and every read finds the contract (half would be 404 with replica-2 in rotation).
      for (let i = 0; i < 8; i++) expect((await party.client.contracts.get(shared.id)).title).toBe('seen by the party');
    } finally {
      await resumeReplay(1);
    }
    await waitUntil(
      async () => (await readyz(server.url)).json?.checks?.replicas?.[1]?.status === 'up',
      15_000,
      'replica-2 caught up',
    );
  });
});

describe('two processes behind a load balancer', () => {
  const redisUrl = process.env.CMS_TEST_REDIS_URL!;
  const keyPrefix = `cms-test-${randomBytes(6).toString('hex')}:`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cms-replica-processes-'));
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    const env = {
      DATABASE_URL: cluster.primaryUrl,
      DATABASE_POOL_SIZE: '3',
      // Only the replica whose replay the test pauses: a caller who never wrote is served stale data by it.
      DATABASE_REPLICA_URLS: cluster.replicaUrls[0]!,
      DATABASE_REPLICA_PROBE_INTERVAL_MS: '100',
      // The paused replica must stay in rotation for the whole test (it is the stale reader).
      DATABASE_REPLICA_MAX_LAG_MS: '120000',
      REDIS_URL: redisUrl,
      CMS_REDIS_KEY_PREFIX: keyPrefix,
      CMS_DATA_DIR: dataDir,
      CMS_PUBLIC_URL: 'http://cms.test',
      CMS_CHAIN: 'disabled',
      CMS_RATE_LIMIT: 'off',
    };
    a = await startServerProcess(env);
    b = await startServerProcess(env);
    await waitUntil(
      async () =>
        (await Promise.all([readyz(a.url), readyz(b.url)])).every(
          (r) => r.json?.checks?.replicas?.[0]?.status === 'up',
        ),
      20_000,
      'the replica up on both',
    );
  }, 120_000);
  afterAll(async () => {
    await resumeReplay(0);
    await Promise.all([a?.stop(), b?.stop()]);
    const keys = await createRedisStore({ url: redisUrl, keyPrefix });
    await keys.deleteAllKeys();
    await keys.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('a write on A is read at once on B, never stale and never a 404, while the replica lags', async () => {
    // Both clients hold one session (one login) and talk to different processes.
    const onA = await loggedInClient(a.url);
    const token = onA.token.accessToken;
    const party = await loggedInClient(a.url);
    await pauseReplay(0);
    try {
      for (let i = 0; i < 10; i++) {
        const [from, to] = i % 2 === 0 ? [a.url, b.url] : [b.url, a.url];
        const created = await request(from, 'POST', '/v1/contracts', {
          token,
          body: { title: `round ${i}`, parties: [{ did: party.key.did, role: 'signer' }] },
        });
        expect(created.status).toBe(201);
        const id = created.json.id;
        const read = await request(to, 'GET', `/v1/contracts/${id}`, { token });
        expect(read.status, `round ${i}: read on the other process`).toBe(200);
        expect(read.json.title).toBe(`round ${i}`);
        const updated = await request(to, 'PATCH', `/v1/contracts/${id}`, {
          token,
          body: { title: `round ${i}, renamed` },
          headers: { 'if-match': read.headers.get('etag')! },
        });
        expect(updated.status).toBe(200);
        const again = await request(from, 'GET', `/v1/contracts/${id}`, { token });
        expect(again.json.title, `round ${i}: the rename read back on the first process`).toBe(`round ${i}, renamed`);
        const list = await request(from, 'GET', '/v1/contracts', { token });
        expect(list.json.data.find((c: { id: string }) => c.id === id)?.title).toBe(`round ${i}, renamed`);
        // The party never wrote: it is served by the paused replica, which has not seen the contract.
        expect((await request(to, 'GET', `/v1/contracts/${id}`, { token: party.token.accessToken })).status).toBe(404);
      }
    } finally {
      await resumeReplay(0);
    }
  });
});

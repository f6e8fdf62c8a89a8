// Reads go to a streaming replica, except the writer's own reads right after a write
// (read-your-writes). Replay is paused on the replica to make "which server answered" visible.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/server.js';
import { loggedInClient } from './api-helpers.js';
import { startReplicatedCluster, type ReplicatedCluster } from './support/replicated-cluster.js';

const STICKY_MS = 400;
let cluster: ReplicatedCluster;
let server: RunningServer;
let replica: pg.Client;

beforeAll(async () => {
  cluster = await startReplicatedCluster();
  const config = loadConfig({ PORT: '0', CMS_LOG_LEVEL: 'warn', DATABASE_URL: cluster.primaryUrl, DATABASE_REPLICA_URLS: cluster.replicaUrl, DATABASE_REPLICA_STICKY_MS: String(STICKY_MS) });
  server = await startServer({ ...config, dataDir: undefined, webDir: undefined });
  replica = new pg.Client({ connectionString: cluster.replicaUrl });
  await replica.connect();
});
afterAll(async () => {
  await replica?.end();
  await server?.close();
  cluster?.stop();
});

const caughtUp = async () => {
  for (let i = 0; i < 100; i++) {
    const { rows } = await replica.query('select pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn() as ok');
    if (rows[0].ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
};

it('routes reads to the replica and keeps a writer on the primary for the sticky window', async () => {
  const [writer, party] = await Promise.all([loggedInClient(server.url), loggedInClient(server.url)]);
  await caughtUp();
  await replica.query('select pg_wal_replay_pause()');
  try {
    const c = await writer.client.contracts.create({ title: 'Replicated', parties: [{ did: party.key.did, role: 'signer' }] });
    // The writer reads its own write at once: from the primary.
    expect((await writer.client.contracts.get(c.id)).title).toBe('Replicated');
    expect((await writer.client.contracts.list()).data.map((x) => x.id)).toContain(c.id);
    // The party never wrote: its read goes to the paused replica, which has not seen the contract.
    expect(await party.client.contracts.get(c.id).catch((e) => e.code)).toBe('not_found');
    // Once the window has passed, the writer reads from the replica too.
    await new Promise((r) => setTimeout(r, STICKY_MS + 100));
    expect(await writer.client.contracts.get(c.id).catch((e) => e.code)).toBe('not_found');
    await replica.query('select pg_wal_replay_resume()');
    await caughtUp();
    expect((await party.client.contracts.get(c.id)).id).toBe(c.id);
  } finally {
    await replica.query('select pg_wal_replay_resume()').catch(() => {});
  }
});

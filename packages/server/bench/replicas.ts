// What read replicas and cross-instance read-your-writes cost on the hot paths: the same routes against a
// server on the primary only and a server with one streaming replica, both real processes on one private
// cluster (initdb + pg_basebackup on free ports; needs the PostgreSQL server binaries) and one Redis, the
// load generated here. With replicas an authenticated request also reads the caller's write position
// (pipelined with its session read) and a write records it (one primary query, one Redis script).
// Rounds alternate between the two servers; medians are reported.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createRedisStore } from '../src/cache/redis-store.js';
import { loggedInClient } from '../test/api-helpers.js';
import { startReplicatedCluster } from '../test/support/replicated-cluster.js';
import { type ServerProcess, startServerProcess } from '../test/support/server-process.js';
import { table } from './stats.js';

const SECONDS = Number(process.env.BENCH_REPLICAS_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_REPLICAS_ROUNDS ?? 3);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const cluster = await startReplicatedCluster({ replicas: 1 });
const keyPrefix = `cms-bench-${randomBytes(6).toString('hex')}:`;
const dataDir = mkdtempSync(join(tmpdir(), 'cms-bench-replicas-'));
const common = {
  DATABASE_URL: cluster.primaryUrl,
  REDIS_URL,
  CMS_REDIS_KEY_PREFIX: keyPrefix,
  CMS_DATA_DIR: dataDir,
  CMS_PUBLIC_URL: 'http://cms.bench',
  CMS_CHAIN: 'disabled',
  CMS_RATE_LIMIT: 'off',
  CMS_LOG_LEVEL: 'error',
};
const servers: { name: string; process: ServerProcess }[] = [];
try {
  servers.push({ name: 'primary only', process: await startServerProcess(common) });
  servers.push({
    name: 'one replica',
    process: await startServerProcess({ ...common, DATABASE_REPLICA_URLS: cluster.replicaUrl }),
  });
  // One user (sessions are shared through Redis), one contract, read through either server.
  const { client } = await loggedInClient(servers[0]!.process.url);
  const token = client.auth.accessToken!;
  const contract = await client.contracts.create({ title: 'Bench', terms: { price: 100 } });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const routes = [
    // Cached after the first request: session check, version query, one cache lookup.
    { name: 'GET /v1/contracts/{id}', options: { method: 'GET' as const, path: `/v1/contracts/${contract.id}` } },
    { name: 'GET /v1/contracts', options: { method: 'GET' as const, path: '/v1/contracts?limit=20' } },
    {
      name: 'POST /v1/contracts',
      options: { method: 'POST' as const, path: '/v1/contracts', body: JSON.stringify({ title: 'Bench write' }) },
    },
  ];
  const results = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const route of routes) {
      for (const s of servers) {
        const r = await autocannon({
          url: `${s.process.url}${route.options.path}`,
          method: route.options.method,
          body: 'body' in route.options ? route.options.body : undefined,
          headers,
          connections: 10,
          duration: SECONDS,
        });
        if (r.non2xx) throw new Error(`${r.non2xx} non-2xx responses from ${s.name} on ${route.name}`);
        const key = `${route.name}|${s.name}`;
        results.set(key, [...(results.get(key) ?? []), r.requests.average]);
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows: string[][] = [['route', 'server', 'req/s (median)', 'ratio to primary only']];
  for (const route of routes) {
    const base = median(results.get(`${route.name}|primary only`)!);
    for (const s of servers) {
      const value = median(results.get(`${route.name}|${s.name}`)!);
      rows.push([
        route.name,
        s.name,
        value.toFixed(0),
        s.name === 'primary only' ? '1 (baseline)' : (value / base).toFixed(3),
      ]);
    }
  }
  console.log(
    `\n## Read replicas (${ROUNDS} rounds × ${SECONDS} s per server and route, 10 connections; private primary + 1 streaming replica, Redis ${REDIS_URL.replace(/\/\/[^@]*@/, '//')})\n`,
  );
  console.log(table(rows));
  console.log(
    '\nThe caller writes in the POST rounds, so its reads go to the primary until the replica has replayed them (then to the replica).',
  );
} finally {
  await Promise.all(servers.map((s) => s.process.stop()));
  cluster.stop();
  const store = await createRedisStore({ url: REDIS_URL, keyPrefix });
  await store.deleteAllKeys();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}

// What rate limiting costs per request: throughput of the same routes with limits off, with the
// in-process limiter, and with the Redis limiter (when Redis answers at REDIS_URL or 127.0.0.1:6379),
// each limiter against "off" on the same session store, so only the limiter differs. Rounds alternate
// between configurations and the median of each is reported (goal: Redis limiter ≥ 0.9× off).
// Limits are set so high that nothing is refused: this measures the checks, not 429s.
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { createRedisStore } from '../src/cache/redis-store.js';
import type { RateLimitConfig, ServerConfig } from '../src/config.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient } from '../test/api-helpers.js';
import { table } from './stats.js';

const SECONDS = Number(process.env.BENCH_RATE_LIMIT_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_RATE_LIMIT_ROUNDS ?? 5);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const HUGE = { steady: { points: 1e9, durationSeconds: 60 }, burst: { points: 1, durationSeconds: 60 } };
const ON: RateLimitConfig = { enabled: true, ip: HUGE, user: HUGE, auth: HUGE, onStoreError: 'open' };
const OFF: RateLimitConfig = { ...ON, enabled: false };

interface Target {
  name: string;
  server: TestServer;
  token: string;
  contractId: string;
}

async function redisReachable(): Promise<boolean> {
  try {
    const store = await createRedisStore({ url: REDIS_URL, keyPrefix: 'cms-bench-probe:' });
    await store.ping();
    await store.close();
    return true;
  } catch {
    return false;
  }
}

const prefixes: string[] = [];
async function target(name: string, rateLimit: RateLimitConfig, store: 'memory' | 'redis'): Promise<Target> {
  const overrides: Partial<ServerConfig> = { rateLimit };
  if (store === 'redis') {
    const keyPrefix = `cms-bench-${randomBytes(6).toString('hex')}:`;
    prefixes.push(keyPrefix);
    overrides.keyValueStore = { engine: 'redis', url: REDIS_URL, keyPrefix };
  }
  const server = await startTestServer(overrides);
  const { client } = await loggedInClient(server.url);
  const contract = await client.contracts.create({ title: 'Bench', terms: { price: 100 } });
  return { name, server, token: client.auth.accessToken!, contractId: contract.id };
}

async function rps(url: string, token: string): Promise<number> {
  const r = await autocannon({
    url,
    connections: 10,
    duration: SECONDS,
    headers: { authorization: `Bearer ${token}` },
  });
  if (r.non2xx) throw new Error(`${r.non2xx} non-2xx responses from ${url}`);
  return r.requests.average;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const withRedis = await redisReachable();
const targets: Target[] = [
  await target('off (memory store)', OFF, 'memory'),
  await target('in-process limiter', ON, 'memory'),
];
if (withRedis)
  targets.push(await target('off (Redis store)', OFF, 'redis'), await target('Redis limiter', ON, 'redis'));
try {
  const routes = [
    // Authenticated and cheap (token check + session list from the store, no database): the limiter's share is largest here.
    { name: 'GET /v1/auth/sessions', path: () => '/v1/auth/sessions' },
    { name: 'GET /v1/contracts/{id}', path: (t: Target) => `/v1/contracts/${t.contractId}` },
  ];
  const results = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const route of routes) {
      for (const t of targets) {
        const key = `${route.name}|${t.name}`;
        results.set(key, [...(results.get(key) ?? []), await rps(`${t.server.url}${route.path(t)}`, t.token)]);
      }
    }
  }
  const rows: string[][] = [['route', 'configuration', 'req/s (median)', 'ratio to off, same store']];
  for (const route of routes) {
    for (const t of targets) {
      const value = median(results.get(`${route.name}|${t.name}`)!);
      const baseline = t.name.includes('Redis') ? 'off (Redis store)' : 'off (memory store)';
      const ratio = value / median(results.get(`${route.name}|${baseline}`)!);
      rows.push([route.name, t.name, value.toFixed(0), t.name.startsWith('off') ? '1 (baseline)' : ratio.toFixed(3)]);
    }
  }
  console.log(
    `\n## Rate limiting (${ROUNDS} rounds × ${SECONDS} s per configuration, 10 connections, database: ${targets[0]!.server.engine}${withRedis ? `, Redis: ${REDIS_URL.replace(/\/\/[^@]*@/, '//')}` : ', Redis: unreachable, skipped'})\n`,
  );
  console.log(table(rows));
  console.log(
    '\nEach limited request is checked against the per-address and the per-user limit (two counter updates).',
  );
} finally {
  for (const t of targets) await t.server.close();
  for (const keyPrefix of prefixes) {
    const store = await createRedisStore({ url: REDIS_URL, keyPrefix });
    await store.deleteAllKeys();
    await store.close();
  }
}

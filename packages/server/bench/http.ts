// Request throughput of the full server stack (validation, auth, tenant-scoped DB read, JSON) for
// GET /v1/contracts/{id} (cached, uncached, revalidated) and GET /healthz, against a raw node:http server answering the same JSON
// body, measured in the same run with the same load generator (autocannon, 10 connections).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { startTestServer } from '../src/testing/start-test-server.js';
import { loggedInClient } from '../test/api-helpers.js';
import { table } from './stats.js';

const DURATION = Number(process.env.BENCH_HTTP_SECONDS ?? 8);

async function load(url: string, headers: Record<string, string> = {}) {
  const r = await autocannon({ url, connections: 10, duration: DURATION, headers });
  // 304 counts as non-2xx for autocannon; anything else means the run measured errors.
  if (r.non2xx && r['3xx'] !== r.non2xx) throw new Error(`${r.non2xx} non-2xx responses from ${url}`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

const server = await startTestServer();
try {
  const { client } = await loggedInClient(server.url);
  const contract = await client.contracts.create({ title: 'Bench', terms: { price: 100 }, parties: [] });
  const body = JSON.stringify(contract);
  const raw = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  const rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/`;
  const baseline = await load(rawUrl);
  const health = await load(`${server.url}/healthz`);
  const auth = { authorization: `Bearer ${client.auth.accessToken}` };
  const get = await load(`${server.url}/v1/contracts/${contract.id}`, auth);
  // A client revalidating its copy: one authorizing version query, then 304 with no body.
  const etag = (await fetch(`${server.url}/v1/contracts/${contract.id}`, { headers: auth })).headers.get('etag')!;
  const revalidate = await load(`${server.url}/v1/contracts/${contract.id}`, { ...auth, 'if-none-match': etag });
  // The same read with the response cache off (TTL 0), on a second server, measured in this run too.
  const uncached = await startTestServer({ responseCache: { ttlSeconds: 0, maxEntries: 1 } });
  let miss: Awaited<ReturnType<typeof load>>;
  try {
    const other = await loggedInClient(uncached.url);
    const c2 = await other.client.contracts.create({ title: 'Bench', terms: { price: 100 }, parties: [] });
    miss = await load(`${uncached.url}/v1/contracts/${c2.id}`, {
      authorization: `Bearer ${other.client.auth.accessToken}`,
    });
  } finally {
    await uncached.close();
  }
  raw.close();
  const row = (name: string, r: typeof baseline) => [
    name,
    r.rps.toFixed(0),
    `${r.p50} ms`,
    `${r.p99} ms`,
    (r.rps / baseline.rps).toFixed(3),
  ];
  console.log(`\n## HTTP (${DURATION} s each, 10 connections, database: ${server.engine})\n`);
  console.log(
    table([
      ['endpoint', 'req/s', 'p50', 'p99', 'ratio to raw node:http'],
      row('raw node:http (baseline)', baseline),
      row('GET /healthz', health),
      row('GET /v1/contracts/{id}', get),
      row('GET /v1/contracts/{id} (response cache off)', miss),
      row('GET /v1/contracts/{id} (If-None-Match → 304)', revalidate),
    ]),
  );
} finally {
  await server.close();
}

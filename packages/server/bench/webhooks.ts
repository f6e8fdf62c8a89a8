// Webhooks: delivery throughput, and what the outbox costs a contract change. The server is a real
// `cms-server` child process (file-backed PGlite, or PostgreSQL with CMS_TEST_DATABASE_URL); this
// process is the load generator and the receivers (10 endpoints on one loopback listener answering 204).
//
// - Throughput: BENCH_EVENTS (default 1000) contract events to BENCH_ENDPOINTS (default 10) endpoints,
//   from the first change until every delivery has been answered.
// - Write cost: the latency of a contract change in an organization with BENCH_ENDPOINTS endpoints vs one
//   with none, in BENCH_ROUNDS (default 10) interleaved rounds of BENCH_SAMPLES (default 20) changes each;
//   medians of the round medians. Measured on a second server process with CMS_WEBHOOKS=off: the outbox
//   rows are written as always, but no delivery competes with the writes, so the difference is the
//   write path's own cost (the goal: one extra insert per endpoint).
//
//   pnpm bench webhooks
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CmsClient, createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';
import { createScratchDatabase } from '../src/testing/test-database.js';
import { startServerProcess } from '../test/support/server-process.js';
import { ms, table } from './stats.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const CONCURRENCY = 8; // changes in flight while loading

let answered = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    answered++;
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const port = (receiver.address() as { port: number }).port;

const dirs: string[] = [];
const scratches: { drop(): Promise<void> }[] = [];
async function startServer(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cms-bench-webhooks-'));
  dirs.push(dataDir);
  const adminUrl = process.env.CMS_TEST_DATABASE_URL;
  const scratch = adminUrl ? await createScratchDatabase(adminUrl) : undefined;
  if (scratch) scratches.push(scratch);
  return startServerProcess({
    CMS_DATA_DIR: dataDir,
    ...(scratch && { DATABASE_URL: scratch.url }),
    CMS_CHAIN: 'disabled',
    CMS_RATE_LIMIT: 'off',
    CMS_LOG_LEVEL: 'error',
    CMS_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    CMS_WEBHOOK_POLL_MS: '50',
    ...env,
  });
}
const server = await startServer({});
let writer: Awaited<ReturnType<typeof startServer>> | undefined;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
async function until(predicate: () => boolean, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${answered} deliveries answered`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
async function organization(endpoints: number, baseUrl = server.url): Promise<CmsClient> {
  const cms = createCmsClient({ baseUrl });
  await cms.auth.login(await didKeySigner((await generateDidKey()).privateKey));
  for (let i = 0; i < endpoints; i++)
    await cms.webhooks.create({ url: `http://127.0.0.1:${port}/hook/${i}`, eventTypes: ['contract.created'] });
  return cms;
}
const create = (cms: CmsClient, i: number) => cms.contracts.create({ title: `Bench ${i}`, parties: [] });

try {
  const hooked = await organization(ENDPOINTS);
  await create(hooked, 0);
  await until(() => answered === ENDPOINTS);

  // Throughput.
  answered = 0;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < EVENTS) await create(hooked, next++);
    }),
  );
  const written = performance.now() - started;
  await until(() => answered === EVENTS * ENDPOINTS);
  const elapsed = performance.now() - started;

  await server.stop();

  // Write cost, interleaved, on a server that only writes.
  writer = await startServer({ CMS_WEBHOOKS: 'off' });
  const withEndpoints = await organization(ENDPOINTS, writer.url);
  const plain = await organization(0, writer.url);
  for (let i = 0; i < 20; i++) await Promise.all([create(plain, i), create(withEndpoints, i)]); // warm up
  const none: number[] = [];
  const some: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [cms, out] of (round % 2
      ? [
          [withEndpoints, some],
          [plain, none],
        ]
      : [
          [plain, none],
          [withEndpoints, some],
        ]) as [CmsClient, number[]][]) {
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const t = performance.now();
        await create(cms, i);
        times.push(performance.now() - t);
      }
      out.push(median(times));
    }
  }

  const deliveries = EVENTS * ENDPOINTS;
  console.log(
    table([
      ['', 'value'],
      [`deliveries (${EVENTS} events × ${ENDPOINTS} endpoints)`, String(deliveries)],
      ['deliveries/s (first change to last 2xx)', (deliveries / (elapsed / 1000)).toFixed(0)],
      [`events written/s (${CONCURRENCY} concurrent changes)`, (EVENTS / (written / 1000)).toFixed(0)],
      [`contract change, no endpoint (median of ${ROUNDS} round medians)`, ms(median(none))],
      [`contract change, ${ENDPOINTS} endpoints`, ms(median(some))],
      ['added latency', ms(median(some) - median(none))],
    ]),
  );
} finally {
  await server.stop();
  await writer?.stop();
  for (const s of scratches) await s.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await new Promise((r) => receiver.close(r));
}

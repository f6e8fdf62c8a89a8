// Enclave cost, measured in one run on one machine:
// - data-key round trips (generateDataKey + decryptDataKey) over the unix socket to a real `cms-enclave`
//   process, one at a time and 16 in flight, as a ratio to the same AES-256-GCM wrap/unwrap in-process
//   (the baseline: what the server would do holding the KEK itself);
// - KEK rotation + rewrap of 10,000 stored data keys while readers keep decrypting them (online): the
//   rewrap rate, the readers' failures (must be 0), and the retire check afterwards.
// CMS_TEST_DATABASE_URL (a scratch database on that server) or BENCH_DATABASE_URL runs the rewrap on
// PostgreSQL (default: PGlite in memory); BENCH_OBJECTS, BENCH_SECONDS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database.js';
import { organizations } from '../src/db/schema/index.js';
import { uuidv7 } from '../src/db/uuidv7.js';
import { startEnclaveService } from '../src/enclave/client/enclave-service.js';
import { countWrappedUnder, retireKek, rewrapDataKeys } from '../src/enclave/data-keys/rewrap-data-keys.js';
import { openDataKey, storeDataKey } from '../src/enclave/data-keys/stored-data-keys.js';
import { generateDataKey, unwrapDataKey } from '../src/enclave/process/data-keys.js';
import { openKekRing } from '../src/enclave/process/kek-ring.js';
import { ensurePrivateDir } from '../src/enclave/process/private-files.js';
import { fallbackLogger } from '../src/observability/logger.js';
import { openTestDatabase } from '../src/testing/test-database.js';
import { table } from './stats.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'bench-enclave-'));
const context = { organizationId: '0195c6c2-0000-7000-8000-00000000beef', purpose: 'bench', objectId: 'object-1' };

async function rate(concurrency: number, round: () => Promise<void> | void): Promise<number> {
  for (let i = 0; i < 200; i++) await round(); // warm up
  let done = 0;
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await round();
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

const enclave = await startEnclaveService(
  {
    mode: 'embedded',
    dataDir: join(dir, 'enclave'),
    limits: { maxConcurrency: 64, maxRequestBytes: 1 << 20, timeoutMs: 10_000, memoryMb: 256 },
    callTimeoutMs: 11_000,
  },
  { logger: fallbackLogger() },
);
const database = process.env.BENCH_DATABASE_URL
  ? await openDatabase({ engine: 'postgres', url: process.env.BENCH_DATABASE_URL, poolSize: 10 })
  : await openTestDatabase();
try {
  ensurePrivateDir(join(dir, 'local-keks'));
  const keks = openKekRing(join(dir, 'local-keks'));
  const inProcess = () => {
    const { plaintextKey, wrappedKey } = generateDataKey(keks, context);
    if (!unwrapDataKey(keks, wrappedKey, context).equals(plaintextKey)) throw new Error('baseline round trip failed');
  };
  const overSocket = async () => {
    const { plaintextKey, wrappedKey } = await enclave.generateDataKey(context);
    if (!Buffer.from(await enclave.decryptDataKey(wrappedKey, context)).equals(Buffer.from(plaintextKey)))
      throw new Error('round trip failed');
  };
  const baseline = await rate(1, inProcess);
  const serial = await rate(1, overSocket);
  const parallel = await rate(16, overSocket);
  console.log('\n## Data-key round trips (generate + decrypt) per second\n');
  console.log(
    table([
      ['path', 'round trips/s', 'ratio to in-process'],
      ['in-process AES-256-GCM (baseline)', baseline.toFixed(0), '1.000'],
      ['enclave over unix socket, 1 in flight', serial.toFixed(0), (serial / baseline).toFixed(3)],
      ['enclave over unix socket, 16 in flight', parallel.toFixed(0), (parallel / baseline).toFixed(3)],
    ]),
  );

  // Rotation + rewrap, online.
  const organizationId = uuidv7();
  await database.db.insert(organizations).values({ id: organizationId, name: 'bench' });
  const ids: { id: string; objectId: string }[] = [];
  const seedStarted = performance.now();
  for (let start = 0; start < OBJECTS; start += 500) {
    const batch = Array.from({ length: Math.min(500, OBJECTS - start) }, (_, i) => `object-${start + i}`);
    // At most 32 in flight: the enclave answers `busy` past its concurrency limit rather than queueing.
    const keys: Awaited<ReturnType<typeof enclave.generateDataKey>>[] = [];
    for (let i = 0; i < batch.length; i += 32)
      keys.push(
        ...(await Promise.all(
          batch
            .slice(i, i + 32)
            .map((objectId) => enclave.generateDataKey({ organizationId, purpose: 'bench', objectId })),
        )),
      );
    await database.db.transaction(async (tx) => {
      for (const [i, objectId] of batch.entries())
        ids.push({ id: await storeDataKey(tx, { organizationId, purpose: 'bench', objectId }, keys[i]!), objectId });
    });
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const version = await enclave.rotateKek();
  let reads = 0;
  let readFailures = 0;
  let rewrapping = true;
  const readers = Array.from({ length: 4 }, async () => {
    while (rewrapping) {
      const { id } = ids[Math.floor(Math.random() * ids.length)]!;
      try {
        await openDataKey(database.db, enclave, organizationId, id);
        reads++;
      } catch {
        readFailures++;
      }
    }
  });
  const started = performance.now();
  const done = await rewrapDataKeys(database.db, enclave, { batchSize: 500 });
  const seconds = (performance.now() - started) / 1000;
  rewrapping = false;
  await Promise.all(readers);
  const left = await countWrappedUnder(database.db, version - 1);
  await retireKek(database.db, enclave, version - 1);
  console.log(`\n## KEK rotation + rewrap of ${OBJECTS} stored data keys (${database.engine}), online\n`);
  console.log(
    table([
      ['measure', 'value'],
      ['seeding (generate + store)', `${(OBJECTS / seedSeconds).toFixed(0)} keys/s`],
      ['rewrapped', `${done.rewrapped} in ${seconds.toFixed(2)} s = ${(done.rewrapped / seconds).toFixed(0)} keys/s`],
      ['reads during the rewrap (4 readers)', `${reads} ok, ${readFailures} failed`],
      [`left under KEK v${version - 1}, then retired`, String(left)],
    ]),
  );
  if (readFailures || left || done.rewrapped !== OBJECTS) process.exitCode = 1;
} finally {
  await enclave.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}

// `tsx bench/ledger.ts`: Merkle-batched anchoring against one transaction per event, in the same run,
// on a private anvil and an in-memory PGlite (or, with CMS_BENCH_DATABASE_URL, a scratch database created
// on that PostgreSQL server and dropped after).
// Reports events anchored per second and gas per event (medians over runs) and their ratios.
//   options: --events N (default 20000) --batch N (default 1000) --runs N (default 3) --single N (default 300)
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { contractLedgerAbi } from '@cms/sdk/evm';
import { count, eq, isNull, ne, or } from 'drizzle-orm';
import { createPublicClient, encodeFunctionData, type Hex, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { Database } from '../src/db/database.js';
import { openDatabase } from '../src/db/database.js';
import { auditEvents, ledgerBatches, ledgerOutbox, organizations } from '../src/db/schema/index.js';
import { uuidv7 } from '../src/db/uuidv7.js';
import { spawnAnvil } from '../src/ledger/anvil/spawn-anvil.js';
import { deployLedger } from '../src/ledger/chain/deploy-ledger.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';
import { createNonceManager } from '../src/ledger/chain/nonce-manager.js';
import { sendTransaction } from '../src/ledger/chain/send-transaction.js';
import { startLedger } from '../src/ledger/ledger-runtime.js';
import { createLogger } from '../src/observability/logger.js';
import { createScratchDatabase, pgliteTemplate } from '../src/testing/test-database.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    single: { type: 'string', default: '300' },
  },
});
const EVENTS = Number(args.events);
const BATCH = Number(args.batch);
const RUNS = Number(args.runs);
const SINGLE = Number(args.single);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const randomHash = () => `0x${randomBytes(32).toString('hex')}` as Hex;

async function openBenchDatabase(): Promise<Database> {
  const admin = process.env.CMS_BENCH_DATABASE_URL;
  if (!admin) return openDatabase({ engine: 'pglite', loadDataDir: await pgliteTemplate() });
  const scratch = await createScratchDatabase(admin);
  const db = await openDatabase({ engine: 'postgres', url: scratch.url, poolSize: 5 });
  return { ...db, close: async () => (await db.close(), await scratch.drop()) };
}

/** Queues `n` events for anchoring, in bulk (their content does not matter to anchoring). */
async function queueEvents(database: Database, n: number) {
  const org = uuidv7();
  await database.db.insert(organizations).values({ id: org, name: 'bench' });
  for (let i = 0; i < n; i += 1000) {
    const events = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({
      id: uuidv7(),
      organizationId: org,
      seq: i + j + 1,
      occurredAt: new Date(),
      actorDid: 'did:key:bench',
      action: 'bench.event',
      resourceType: 'bench',
      resourceId: String(i + j),
      data: {},
      prevHash: randomHash(),
      hash: randomHash(),
    }));
    await database.db.insert(auditEvents).values(events);
    await database.db
      .insert(ledgerOutbox)
      .values(events.map((e) => ({ id: uuidv7(), organizationId: org, auditEventId: e.id, eventHash: e.hash })));
  }
}

async function unconfirmed(database: Database) {
  const [row] = await database.db
    .select({ n: count() })
    .from(ledgerOutbox)
    .leftJoin(ledgerBatches, eq(ledgerBatches.id, ledgerOutbox.batchId))
    .where(or(isNull(ledgerOutbox.batchId), ne(ledgerBatches.status, 'confirmed')));
  return row!.n;
}

async function batchedRun(): Promise<{ eventsPerSecond: number; gasPerEvent: number; batches: number }> {
  const anvil = await spawnAnvil();
  const database = await openBenchDatabase();
  try {
    const client = createPublicClient({ transport: http(anvil.url) });
    const owner = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
    const { address } = await deployLedger(client, owner);
    await queueEvents(database, EVENTS);
    const started = performance.now();
    const ledger = await startLedger(database, {
      chain: {
        mode: 'external',
        rpcUrls: [anvil.url],
        chainId: 31337,
        ledgerAddress: address,
        recorderPrivateKey: () => ANVIL_DEV_PRIVATE_KEYS[0],
        confirmations: 1,
      },
      ledger: { batchSize: BATCH, batchMaxWaitMs: 0 },
      dataDir: undefined,
      logger: createLogger({ level: 'silent' }),
    });
    const startedAt = Date.now() - (performance.now() - started);
    while ((await unconfirmed(database)) > 0) await new Promise((r) => setTimeout(r, 100));
    await ledger.stop();
    const batches = await database.db
      .select({ tx: ledgerBatches.transactionHash, confirmedAt: ledgerBatches.confirmedAt })
      .from(ledgerBatches);
    // Until the last batch was confirmed, not until this loop noticed.
    const seconds = (Math.max(...batches.map((b) => b.confirmedAt!.getTime())) - startedAt) / 1000;
    let gas = 0n;
    for (const b of batches) gas += (await client.getTransactionReceipt({ hash: b.tx as Hex })).gasUsed;
    return { eventsPerSecond: EVENTS / seconds, gasPerEvent: Number(gas) / EVENTS, batches: batches.length };
  } finally {
    await database.close();
    await anvil.stop();
  }
}

/** The alternative: one `anchor(leaf, 1)` transaction per event, each awaited like the worker awaits a batch. */
async function singleRun(): Promise<{ eventsPerSecond: number; gasPerEvent: number }> {
  const anvil = await spawnAnvil();
  try {
    const client = createPublicClient({ transport: http(anvil.url) });
    const owner = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
    const { address } = await deployLedger(client, owner);
    const nonces = createNonceManager(client, owner.address);
    let gas = 0n;
    const started = performance.now();
    for (let i = 0; i < SINGLE; i++) {
      const data = encodeFunctionData({ abi: contractLedgerAbi, functionName: 'anchor', args: [randomHash(), 1] });
      const { hash } = await sendTransaction(client, owner, nonces, { to: address, data, chainId: 31337 });
      gas += (await client.waitForTransactionReceipt({ hash, pollingInterval: 5 })).gasUsed;
    }
    const seconds = (performance.now() - started) / 1000;
    return { eventsPerSecond: SINGLE / seconds, gasPerEvent: Number(gas) / SINGLE };
  } finally {
    await anvil.stop();
  }
}

console.log(
  `ledger bench: ${EVENTS} events in batches of ≤${BATCH} vs ${SINGLE} single-event transactions; ${RUNS} runs each; database ${process.env.CMS_BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
);
const batched: Awaited<ReturnType<typeof batchedRun>>[] = [];
const single: Awaited<ReturnType<typeof singleRun>>[] = [];
for (let r = 0; r < RUNS; r++) {
  batched.push(await batchedRun());
  single.push(await singleRun());
  const b = batched.at(-1)!;
  const s = single.at(-1)!;
  console.log(
    `  run ${r + 1}: batched ${fmt(b.eventsPerSecond)} events/s, ${fmt(b.gasPerEvent, 1)} gas/event (${b.batches} tx) | single ${fmt(s.eventsPerSecond)} events/s, ${fmt(s.gasPerEvent)} gas/event`,
  );
}
const bEps = median(batched.map((b) => b.eventsPerSecond));
const bGas = median(batched.map((b) => b.gasPerEvent));
const sEps = median(single.map((s) => s.eventsPerSecond));
const sGas = median(single.map((s) => s.gasPerEvent));
console.table({
  'Merkle batches': { 'events/s (median)': fmt(bEps), 'gas/event (median)': fmt(bGas, 1) },
  'one tx per event': { 'events/s (median)': fmt(sEps), 'gas/event (median)': fmt(sGas) },
});
console.log(`throughput: ${fmt(bEps / sEps, 1)}× (goal ≥ 5,000 events/s: ${bEps >= 5000 ? 'met' : 'NOT met'})`);
console.log(
  `gas per event: 1/${fmt(sGas / bGas)} of one tx per event (goal ≤ 1/200: ${sGas / bGas >= 200 ? 'met' : 'NOT met'})`,
);

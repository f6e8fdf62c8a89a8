// Two server instances on one PostgreSQL and one external anvil anchor 10,000 events together: every
// event lands in exactly one batch, each batch is one transaction, and every proof verifies on chain.
// PostgreSQL only (row locks are what keep the instances apart); the integration suite runs it, with
// the anvil that .ci/run starts (CMS_TEST_CHAIN_RPC_URL), or a private one.

import { contractLedgerAbi } from '@cms/sdk/evm';
import { count, eq, isNull } from 'drizzle-orm';
import { type Address, createPublicClient, getAddress, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { ledgerBatches, ledgerLeaves, ledgerOutbox } from '../src/db/schema/index.js';
import { type AnvilProcess, spawnAnvil } from '../src/ledger/anvil/spawn-anvil.js';
import { deployLedger, setRecorder } from '../src/ledger/chain/deploy-ledger.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';
import { ledgerProofsForEvents } from '../src/ledger/ledger-records.js';
import { type RunningServer, startServer } from '../src/server.js';
import { createScratchDatabase } from '../src/testing/test-database.js';
import { request } from './api-helpers.js';
import { backlog, createOrganization, recordEvents, verifyOnChain, waitUntil } from './ledger-helpers.js';

// A *.pg.test.ts: the integration suite runs it, with CMS_TEST_DATABASE_URL set (see vitest.config.ts).
const adminUrl = process.env.CMS_TEST_DATABASE_URL!;
const EVENTS = 10_000;
const recorders = [ANVIL_DEV_PRIVATE_KEYS[2], ANVIL_DEV_PRIVATE_KEYS[3]];

let anvil: AnvilProcess | undefined;
let rpcUrl: string;
let ledgerAddress: Address;
let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let writer: Database;
const servers: RunningServer[] = [];

beforeAll(async () => {
  rpcUrl = process.env.CMS_TEST_CHAIN_RPC_URL ?? (anvil = await spawnAnvil()).url;
  const client = createPublicClient({ transport: http(rpcUrl) });
  const owner = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
  ledgerAddress = (await deployLedger(client, owner)).address;
  for (const key of recorders) await setRecorder(client, owner, ledgerAddress, privateKeyToAccount(key).address);
  scratch = await createScratchDatabase(adminUrl);
  for (const key of recorders) {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      CMS_LOG_LEVEL: 'warn',
      DATABASE_URL: scratch.url,
      CMS_CHAIN: 'external',
      CMS_CHAIN_RPC_URLS: rpcUrl,
      CMS_CHAIN_ID: String(await client.getChainId()),
      CMS_LEDGER_ADDRESS: ledgerAddress,
      CMS_RECORDER_PRIVATE_KEY: key,
      CMS_LEDGER_BATCH_SIZE: '250',
      CMS_LEDGER_BATCH_WAIT_MS: '100',
    });
    servers.push(
      await startServer({
        ...config,
        dataDir: undefined,
        webDir: undefined,
        database: { engine: 'postgres', url: scratch.url, poolSize: 5 },
      }),
    );
  }
  writer = await openDatabase({ engine: 'postgres', url: scratch.url, poolSize: 8 });
}, 120_000);
afterAll(async () => {
  for (const s of servers) await s.close();
  await writer?.close();
  await scratch?.drop();
  await anvil?.stop();
});

describe('two instances anchoring together', () => {
  it(`anchors ${EVENTS} events exactly once, and every proof verifies on chain`, async () => {
    const orgs = await Promise.all(Array.from({ length: 4 }, () => createOrganization(writer.db)));
    const ids = (
      await Promise.all(orgs.map((org) => recordEvents(writer.db, org, EVENTS / orgs.length, { perTransaction: 250 })))
    ).flat();
    expect(new Set(ids).size).toBe(EVENTS);
    await waitUntil(async () => (await backlog(writer.db)) === 0, 240_000, 'every event confirmed');

    // Exactly once: one leaf per event, every outbox row in a batch, batch sizes adding up to the events.
    const db = writer.db;
    expect((await db.select({ n: count() }).from(ledgerLeaves))[0]!.n).toBe(EVENTS);
    expect((await db.select({ n: count() }).from(ledgerOutbox).where(isNull(ledgerOutbox.batchId)))[0]!.n).toBe(0);
    const batches = await db.select().from(ledgerBatches);
    expect(batches.every((b) => b.status === 'confirmed')).toBe(true);
    expect(batches.reduce((n, b) => n + b.leafCount, 0)).toBe(EVENTS);
    // Both instances took part, each with its own key.
    expect(new Set(batches.map((b) => b.sender))).toEqual(
      new Set(recorders.map((k) => privateKeyToAccount(k).address)),
    );

    // On chain: one Anchored log per batch, for exactly these roots.
    const client = createPublicClient({ transport: http(rpcUrl, { batch: true }) });
    const logs = await client.getContractEvents({
      address: ledgerAddress,
      abi: contractLedgerAbi,
      eventName: 'Anchored',
      fromBlock: 0n,
    });
    expect(logs.map((l) => l.args.root).sort()).toEqual(batches.map((b) => b.root).sort());
    expect(new Set(logs.map((l) => l.transactionHash))).toEqual(new Set(batches.map((b) => b.transactionHash)));

    const records = [...(await ledgerProofsForEvents(db, ids)).values()];
    expect(records).toHaveLength(EVENTS);
    for (let i = 0; i < records.length; i += 1000) {
      const chunk = records.slice(i, i + 1000);
      expect(await verifyOnChain(client, ledgerAddress, chunk)).toEqual(chunk.map(() => true));
    }

    const status = await request(servers[0]!.url, 'GET', '/v1/status');
    expect(status.json.chain).toEqual({
      mode: 'external',
      chainId: await client.getChainId(),
      ledgerAddress: getAddress(ledgerAddress),
      rpcUrl: null,
    });
    const [one] = await db.select().from(ledgerBatches).where(eq(ledgerBatches.id, batches[0]!.id));
    expect(one!.attempts).toBeGreaterThanOrEqual(1);
  }, 300_000);
});

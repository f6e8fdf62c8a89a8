// The idle anchoring worker does not poll the ledger tables: it sleeps until the event bus announces
// new events (here the in-process bus; across instances the Redis one), then anchors them.
import { createPublicClient, getAddress, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { createMemoryEventBus } from '../src/events/memory-event-bus.js';
import { type AnvilProcess, spawnAnvil } from '../src/ledger/anvil/spawn-anvil.js';
import { deployLedger } from '../src/ledger/chain/deploy-ledger.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';
import { type Ledger, startLedger } from '../src/ledger/ledger-runtime.js';
import { openTestDatabase } from '../src/testing/test-database.js';
import { backlog, createOrganization, recordEvents, waitUntil } from './ledger-helpers.js';

let anvil: AnvilProcess;
let database: Database;
let ledger: Ledger | undefined;
const bus = createMemoryEventBus();

beforeAll(async () => {
  anvil = await spawnAnvil();
  const recorder = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
  const ledgerAddress = getAddress(
    (await deployLedger(createPublicClient({ transport: http(anvil.url) }), recorder)).address,
  );
  database = await openTestDatabase();
  ledger = await startLedger(database, {
    chain: {
      mode: 'external',
      rpcUrls: [anvil.url],
      chainId: 31337,
      ledgerAddress,
      recorderPrivateKey: () => ANVIL_DEV_PRIVATE_KEYS[0],
      confirmations: 1,
    },
    ledger: { batchSize: 100, batchMaxWaitMs: 20 },
    dataDir: undefined,
    wakeOn: (wake) => bus.subscribe(() => wake()),
    // Far longer than the test: only a notice can wake the worker.
    idlePollMs: 600_000,
  });
});
afterAll(async () => {
  await ledger?.stop();
  await bus.close();
  await anvil?.stop();
  await database?.close();
});

it('sleeps while idle and anchors new events as soon as a notice announces them', async () => {
  const org = await createOrganization(database.db);
  // Let the worker finish its first rounds and fall idle.
  await new Promise((r) => setTimeout(r, 1000));
  await recordEvents(database.db, org, 3);
  // No notice: nobody polls, the events wait.
  await new Promise((r) => setTimeout(r, 1500));
  expect(await backlog(database.db)).toBe(3);
  // The writer's notice after commit wakes the worker, which batches, sends and confirms them.
  bus.publish({ eventId: 1, organizationIds: [org], partyDids: [] });
  await waitUntil(async () => (await backlog(database.db)) === 0, 30_000, 'the announced events anchored');
  expect(ledger!.worker!.lastError()).toBeNull();
});

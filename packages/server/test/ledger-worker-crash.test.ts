// A server killed (-9) between sending a batch's anchor transaction and recording it: the batch is still
// `pending` with no attempt recorded, but its root is on chain. The next worker must adopt that
// transaction instead of sending anchor() again (which reverts) and stalling all anchoring behind it.

import { contractLedgerAbi } from '@cms/sdk/evm';
import { eq } from 'drizzle-orm';
import { type Address, createPublicClient, createWalletClient, getAddress, type Hex, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { ledgerBatches } from '../src/db/schema/index.js';
import { type AnvilProcess, spawnAnvil } from '../src/ledger/anvil/spawn-anvil.js';
import { deployLedger } from '../src/ledger/chain/deploy-ledger.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';
import { type Ledger, startLedger } from '../src/ledger/ledger-runtime.js';
import { claimBatch } from '../src/ledger/worker/claim-batch.js';
import { openTestDatabase } from '../src/testing/test-database.js';
import { backlog, createOrganization, recordEvents, waitUntil } from './ledger-helpers.js';

let anvil: AnvilProcess;
let database: Database;
let ledger: Ledger | undefined;
let ledgerAddress: Address;
const recorder = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);

beforeAll(async () => {
  anvil = await spawnAnvil();
  ledgerAddress = getAddress(
    (await deployLedger(createPublicClient({ transport: http(anvil.url) }), recorder)).address,
  );
  database = await openTestDatabase();
});
afterAll(async () => {
  await ledger?.stop();
  await anvil?.stop();
  await database?.close();
});

it('adopts the anchor transaction of a worker that died before recording it, and anchors what follows', async () => {
  const org = await createOrganization(database.db);
  await recordEvents(database.db, org, 5);
  // The dead worker: claimed a batch (its lease runs out at once) and anchored its root…
  const batch = (await claimBatch(database.db, {
    batchSize: 100,
    maxWaitMs: 0,
    force: true,
    chainId: 31337,
    ledgerAddress,
    workerId: 'dead-worker',
    leaseMs: 1,
  }))!;
  const wallet = createWalletClient({ account: recorder, chain: foundry, transport: http(anvil.url) });
  const hash = await wallet.writeContract({
    address: ledgerAddress,
    abi: contractLedgerAbi,
    functionName: 'anchor',
    args: [batch.root as Hex, batch.leafCount],
  });
  await createPublicClient({ transport: http(anvil.url) }).waitForTransactionReceipt({ hash });
  // …and was killed before writing down that it had.
  expect((await database.db.select().from(ledgerBatches).where(eq(ledgerBatches.id, batch.id)))[0]).toMatchObject({
    status: 'pending',
    attempts: 0,
    transactionHash: null,
  });

  ledger = await startLedger(database, {
    chain: {
      mode: 'external',
      rpcUrls: [anvil.url],
      chainId: 31337,
      ledgerAddress,
      recorderPrivateKey: () => ANVIL_DEV_PRIVATE_KEYS[0],
      confirmations: 1,
    },
    ledger: { batchSize: 100, batchMaxWaitMs: 50 },
    dataDir: undefined,
  });
  await recordEvents(database.db, org, 5);
  await waitUntil(async () => (await backlog(database.db)) === 0, 30_000, 'every event anchored');
  expect((await database.db.select().from(ledgerBatches).where(eq(ledgerBatches.id, batch.id)))[0]).toMatchObject({
    status: 'confirmed',
    transactionHash: hash,
  });
  expect(ledger.worker!.lastError()).toBeNull();
});

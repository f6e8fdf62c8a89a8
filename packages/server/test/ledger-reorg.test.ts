// Anchoring transactions that do not stay on chain: one dropped from the mempool before it was mined,
// and one re-orged away after it was confirmed. Both batches are anchored again with the same root, so
// the proofs already issued stay valid. The ledger talks to two RPC URLs, the first of them dead.

import { contractLedgerAbi } from '@cms/sdk/evm';
import { eq } from 'drizzle-orm';
import { type Address, createPublicClient, type Hex, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { ledgerBatches } from '../src/db/schema/index.js';
import { type AnvilProcess, spawnAnvil } from '../src/ledger/anvil/spawn-anvil.js';
import { deployLedger } from '../src/ledger/chain/deploy-ledger.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';
import { ledgerProofsForEvents } from '../src/ledger/ledger-records.js';
import { type Ledger, startLedger } from '../src/ledger/ledger-runtime.js';
import { createLogger } from '../src/observability/logger.js';
import { openTestDatabase } from '../src/testing/test-database.js';
import { createOrganization, recordEvents, verifyOnChain, waitUntil } from './ledger-helpers.js';

let anvil: AnvilProcess;
let database: Database;
let ledger: Ledger;
let ledgerAddress: Address;
let org: string;

const rpc = async (method: string, params: unknown[] = []) => {
  const res = await fetch(anvil.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
};
const client = () => createPublicClient({ transport: http(anvil.url) });
const batchOf = async (eventId: string) => {
  const record = (await ledgerProofsForEvents(database.db, [eventId])).get(eventId)!;
  return record.batchId
    ? (await database.db.select().from(ledgerBatches).where(eq(ledgerBatches.id, record.batchId)))[0]
    : undefined;
};

beforeAll(async () => {
  anvil = await spawnAnvil();
  ledgerAddress = (await deployLedger(client(), privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]))).address;
  database = await openTestDatabase();
  ledger = await startLedger(database, {
    // The first node is down: every call fails over to the second (viem `fallback`).
    chain: {
      mode: 'external',
      rpcUrls: ['http://127.0.0.1:9', anvil.url],
      chainId: 31337,
      ledgerAddress,
      recorderPrivateKey: () => ANVIL_DEV_PRIVATE_KEYS[0],
      confirmations: 1,
    },
    ledger: { batchSize: 100, batchMaxWaitMs: 20 },
    dataDir: undefined,
    logger: createLogger({ level: 'silent' }),
  });
  org = await createOrganization(database.db);
});
afterAll(async () => {
  await ledger?.stop();
  await database?.close();
  await anvil?.stop();
});

describe('transactions that leave the chain', () => {
  it('re-anchors a batch whose transaction was dropped from the mempool', async () => {
    await rpc('evm_setAutomine', [false]);
    const [id] = await recordEvents(database.db, org, 3);
    await waitUntil(async () => (await batchOf(id!))?.status === 'submitted', 10_000, 'the batch sent');
    const first = (await batchOf(id!))!;
    await rpc('anvil_dropTransaction', [first.transactionHash]);
    // Unknown to the node for 5 s: dropped. The batch goes back to pending and is sent again.
    await waitUntil(async () => ((await batchOf(id!))?.attempts ?? 0) >= 2, 20_000, 'the batch sent again');
    await rpc('evm_setAutomine', [true]);
    await rpc('evm_mine');
    await waitUntil(async () => (await batchOf(id!))?.status === 'confirmed', 20_000, 'the batch confirmed');
    const record = (await ledgerProofsForEvents(database.db, [id!])).get(id!)!;
    expect(record.root).toBe(first.root);
    expect(await verifyOnChain(client(), ledgerAddress, [record])).toEqual([true]);
  });

  it('re-anchors a confirmed batch whose block was re-orged away', async () => {
    const snapshot = (await rpc('evm_snapshot')) as string;
    const [id] = await recordEvents(database.db, org, 3);
    await waitUntil(async () => (await batchOf(id!))?.status === 'confirmed', 10_000, 'the batch confirmed');
    const before = (await ledgerProofsForEvents(database.db, [id!])).get(id!)!;
    expect(await verifyOnChain(client(), ledgerAddress, [before])).toEqual([true]);

    await rpc('evm_revert', [snapshot]); // the chain goes back to before the anchoring block
    const [anchoredAt] = await client().readContract({
      address: ledgerAddress,
      abi: contractLedgerAbi,
      functionName: 'anchors',
      args: [before.root as Hex],
    });
    expect(anchoredAt).toBe(0n);

    await waitUntil(
      async () => ((await batchOf(id!))?.attempts ?? 0) >= 2 && (await batchOf(id!))?.status === 'confirmed',
      20_000,
      'the batch anchored again',
    );
    const after = (await ledgerProofsForEvents(database.db, [id!])).get(id!)!;
    expect(after.root).toBe(before.root);
    expect(after.proof).toEqual(before.proof);
    expect(await verifyOnChain(client(), ledgerAddress, [after])).toEqual([true]);
  });
});

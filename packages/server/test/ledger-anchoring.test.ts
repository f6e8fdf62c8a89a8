// The anchoring worker on the embedded chain (a private in-memory anvil): batching, proofs that verify
// on chain, per-contract status, waiting for an anchor, and a chain process that crashes mid-run.

import { contractLedgerAbi } from '@cms/sdk/evm';
import { count, eq } from 'drizzle-orm';
import { createPublicClient, http } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { ledgerBatches } from '../src/db/schema/index.js';
import { uuidv7 } from '../src/db/uuidv7.js';
import { ledgerProofsForEvents, ledgerStatusByContract } from '../src/ledger/ledger-records.js';
import { type Ledger, startLedger } from '../src/ledger/ledger-runtime.js';
import { waitForAnchor } from '../src/ledger/wait-for-anchor.js';
import { createLogger } from '../src/observability/logger.js';
import { openTestDatabase } from '../src/testing/test-database.js';
import { backlog, createOrganization, recordEvents, verifyOnChain, waitUntil } from './ledger-helpers.js';

let database: Database;
let ledger: Ledger;
let org: string;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  // A long maximum wait: only full batches go out by themselves; waitForAnchor must flush the rest.
  ledger = await startLedger(database, {
    chain: { mode: 'embedded', confirmations: 1 },
    ledger: { batchSize: 50, batchMaxWaitMs: 600_000 },
    dataDir: undefined,
    logger: createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line)) } }),
  });
  org = await createOrganization(database.db);
});
afterAll(async () => {
  await ledger?.stop();
  await database?.close();
});

const client = () => createPublicClient({ transport: http(ledger.embedded!.url) });

describe('anchoring on the embedded chain', () => {
  it('reports the chain it anchors on', () => {
    expect(ledger.info()).toEqual({
      mode: 'embedded',
      chainId: 31337,
      ledgerAddress: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
      rpcUrl: ledger.embedded!.url,
    });
  });

  it('anchors full batches by itself, one transaction each, and every proof verifies on chain', async () => {
    const ids = await recordEvents(database.db, org, 100);
    await waitUntil(
      async () => [...(await ledgerProofsForEvents(database.db, ids)).values()].every((r) => r.status === 'confirmed'),
      30_000,
      '100 events confirmed',
    );
    const records = [...(await ledgerProofsForEvents(database.db, ids)).values()];
    const batches = new Set(records.map((r) => r.batchId));
    expect(batches.size).toBe(2);
    const txs = new Set(records.map((r) => r.transactionHash));
    expect(txs.size).toBe(2);
    for (const r of records) {
      expect(r).toMatchObject({
        chainId: 31337,
        ledgerAddress: ledger.info().ledgerAddress,
        blockNumber: expect.any(Number),
        anchoredAt: expect.any(String),
      });
      expect(r.proof!.length).toBeGreaterThan(0);
    }
    expect(await verifyOnChain(client(), ledger.info().ledgerAddress!, records)).toEqual(records.map(() => true));
    // Tampering with an event hash fails verification.
    const [first] = records;
    expect(
      await verifyOnChain(client(), ledger.info().ledgerAddress!, [{ ...first!, eventHash: `0x${'ab'.repeat(32)}` }]),
    ).toEqual([false]);
    const logsOnChain = await client().getContractEvents({
      address: ledger.info().ledgerAddress!,
      abi: contractLedgerAbi,
      eventName: 'Anchored',
      fromBlock: 0n,
    });
    expect(logsOnChain.map((l) => l.args.leafCount)).toEqual([50, 50]);
  });

  it('anchors a partial batch at once when someone waits for it, and reports per-contract status', async () => {
    const contractId = uuidv7();
    const [, latest] = await recordEvents(database.db, org, 2, { contractId });
    expect((await ledgerStatusByContract(database.db, [contractId])).get(contractId)).toEqual({
      status: 'pending',
      batchId: null,
      transactionHash: null,
      blockNumber: null,
    });
    const started = Date.now();
    const record = await waitForAnchor({ database, ledger }, latest!, { timeoutMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(record).toMatchObject({ status: 'confirmed', transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect((await ledgerStatusByContract(database.db, [contractId])).get(contractId)).toEqual({
      status: 'confirmed',
      batchId: record!.batchId,
      transactionHash: record!.transactionHash,
      blockNumber: record!.blockNumber,
    });
    const [anchoredAt, leafCount] = await client().readContract({
      address: ledger.info().ledgerAddress!,
      abi: contractLedgerAbi,
      functionName: 'anchors',
      args: [record!.root as `0x${string}`],
    });
    expect(leafCount).toBe(2);
    expect(new Date(Number(anchoredAt) * 1000).toISOString()).toBe(record!.anchoredAt);
  });

  it('waitForAnchor gives up after its timeout with the record as it is', async () => {
    const [id] = await recordEvents(database.db, org, 1);
    // Without a worker to flush, the lone event waits for its batch to fill (10 minutes here).
    const record = await waitForAnchor({ database, ledger: { ...ledger, worker: undefined } }, id!, { timeoutMs: 200 });
    expect(record).toMatchObject({ status: 'pending', transactionHash: null, proof: null });
  });

  it('detects a crash of the chain process, restarts it, and anchors again whatever the chain lost', async () => {
    const all = (
      await database.db.select({ n: count() }).from(ledgerBatches).where(eq(ledgerBatches.status, 'confirmed'))
    )[0]!.n;
    expect(all).toBeGreaterThanOrEqual(3);
    const pid = ledger.embedded!.pid();
    process.kill(pid, 'SIGKILL'); // in memory: the restarted chain has lost every anchor, and the contract
    await waitUntil(async () => ledger.embedded!.restarts() === 1, 10_000, 'the chain restarted');
    expect(ledger.embedded!.pid()).not.toBe(pid);
    const during = await recordEvents(database.db, org, 60);
    ledger.worker!.flush();
    await waitUntil(async () => (await backlog(database.db)) === 0, 60_000, 'an empty backlog');
    const everything = await database.db.query.ledgerLeaves.findMany();
    const proofs = [
      ...(
        await ledgerProofsForEvents(
          database.db,
          everything.map((l) => l.auditEventId),
        )
      ).values(),
    ];
    expect(proofs.length).toBeGreaterThanOrEqual(163);
    expect(proofs.map((p) => p.auditEventId)).toEqual(expect.arrayContaining(during));
    expect(proofs.every((p) => p.status === 'confirmed')).toBe(true);
    expect(await verifyOnChain(client(), ledger.info().ledgerAddress!, proofs)).toEqual(proofs.map(() => true));
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'embedded chain exited; restarting' }));
  });
});

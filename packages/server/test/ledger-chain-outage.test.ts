// An external chain process killed mid-run (SIGKILL: it loses up to a second of state) while events keep
// being recorded: writes succeed, the backlog grows, and once the chain is back everything is anchored,
// including whatever the chain forgot, and every proof verifies on chain.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Address, createPublicClient, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { type AnvilProcess, spawnAnvil } from '../src/ledger/anvil/spawn-anvil.js';
import { deployLedger, setRecorder } from '../src/ledger/chain/deploy-ledger.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';
import { ledgerProofsForEvents } from '../src/ledger/ledger-records.js';
import { type Ledger, startLedger } from '../src/ledger/ledger-runtime.js';
import { createLogger } from '../src/observability/logger.js';
import { openTestDatabase } from '../src/testing/test-database.js';
import { backlog, createOrganization, recordEvents, verifyOnChain, waitUntil } from './ledger-helpers.js';

let anvil: AnvilProcess;
let database: Database;
let ledger: Ledger;
let ledgerAddress: Address;
const stateFile = join(mkdtempSync(join(tmpdir(), 'cms-chain-')), 'state.json');
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  anvil = await spawnAnvil({ stateFile, stateIntervalSeconds: 1 });
  const client = createPublicClient({ transport: http(anvil.url) });
  const owner = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
  ledgerAddress = (await deployLedger(client, owner)).address;
  await setRecorder(client, owner, ledgerAddress, privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[1]).address);
  await new Promise((r) => setTimeout(r, 1_200)); // the deployment is in the state file before any crash
  database = await openTestDatabase();
  ledger = await startLedger(database, {
    chain: {
      mode: 'external',
      rpcUrls: [anvil.url],
      chainId: 31337,
      ledgerAddress,
      recorderPrivateKey: () => ANVIL_DEV_PRIVATE_KEYS[1],
      confirmations: 1,
    },
    ledger: { batchSize: 100, batchMaxWaitMs: 50 },
    dataDir: undefined,
    logger: createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line)) } }),
  });
});
afterAll(async () => {
  await ledger?.stop();
  await anvil?.stop();
  await database?.close();
});

describe('the chain goes away mid-run', () => {
  it('keeps accepting writes, grows the backlog, and anchors everything once the chain is back', async () => {
    const org = await createOrganization(database.db);
    const before = await recordEvents(database.db, org, 200);
    await waitUntil(async () => (await backlog(database.db)) === 0, 30_000, 'the first events anchored');

    process.kill(anvil.pid, 'SIGKILL');
    await new Promise<void>((resolve) =>
      anvil.child.exitCode !== null || anvil.child.signalCode !== null
        ? resolve()
        : anvil.child.once('exit', () => resolve()),
    );
    const during1 = await recordEvents(database.db, org, 150);
    const backlog1 = await backlog(database.db);
    expect(backlog1).toBeGreaterThanOrEqual(150);
    const during2 = await recordEvents(database.db, org, 150);
    expect(await backlog(database.db)).toBe(backlog1 + 150);
    await waitUntil(async () => ledger.worker!.lastError() !== null, 10_000, 'the worker to notice');

    anvil = await spawnAnvil({ stateFile, port: anvil.port, stateIntervalSeconds: 1 });
    await waitUntil(
      async () => (await backlog(database.db)) === 0,
      60_000,
      'an empty backlog after the chain returned',
    );

    const ids = [...before, ...during1, ...during2];
    const records = [...(await ledgerProofsForEvents(database.db, ids)).values()];
    expect(records).toHaveLength(500);
    expect(records.every((r) => r.status === 'confirmed')).toBe(true);
    const client = createPublicClient({ transport: http(anvil.url) });
    expect(await verifyOnChain(client, ledgerAddress, records)).toEqual(records.map(() => true));
    expect(ledger.worker!.lastError()).toBeNull();
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'ledger anchoring failed; retrying with backoff' }));
  });
});

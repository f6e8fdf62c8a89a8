// Embedded mode across a server restart: the chain keeps its state under <dataDir>/chain, the ledger is
// not deployed again, and proofs issued before the restart still verify on chain.

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAnchoredEvent } from '@cms/sdk/evm';
import { eq } from 'drizzle-orm';
import { type Address, createPublicClient, type Hex, http } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type ServerConfig } from '../src/config.js';
import { ledgerOutbox } from '../src/db/schema/index.js';
import { ledgerProofsForEvents } from '../src/ledger/ledger-records.js';
import { type RunningServer, startServer } from '../src/server.js';
import { pgliteTemplate } from '../src/testing/test-database.js';
import { loggedInClient, request } from './api-helpers.js';
import { waitUntil } from './ledger-helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'cms-embedded-'));
let server: RunningServer | undefined;
afterAll(() => server?.close());

async function start(database: ServerConfig['database']) {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', CMS_LEDGER_BATCH_WAIT_MS: '50', CMS_LOG_LEVEL: 'warn' });
  server = await startServer({ ...config, dataDir, webDir: undefined, database });
  return server;
}

async function anchoredContractEvent(s: RunningServer) {
  const { client, token } = await loggedInClient(s.url);
  const contract = await client.contracts.create({ title: `anchored at ${Date.now()}` });
  const [row] = await s.services.database.db
    .select({ id: ledgerOutbox.auditEventId })
    .from(ledgerOutbox)
    .where(eq(ledgerOutbox.contractId, contract.id));
  // biome-ignore lint/suspicious/noExplicitAny: the proof JSON as the API returns it, passed on to the SDK verifier
  let proof: any;
  await waitUntil(
    async () =>
      (proof = (await request(s.url, 'GET', `/v1/ledger/events/${row!.id}`, { token: token.accessToken })).json)
        ?.status === 'confirmed',
    20_000,
    'a confirmed anchor',
  );
  return { proof };
}

// biome-ignore lint/suspicious/noExplicitAny: the proof JSON as the API returns it
const verify = (url: string, ledgerAddress: Address, p: any) =>
  verifyAnchoredEvent({
    client: createPublicClient({ transport: http(url) }),
    ledgerAddress,
    eventHash: p.eventHash as Hex,
    proof: p.proof as Hex[],
    root: p.root as Hex,
  });

describe('embedded chain across restarts', () => {
  it('keeps the ledger and its anchors: old proofs verify on chain after a restart', async () => {
    const first = await start({ engine: 'pglite', loadDataDir: await pgliteTemplate() });
    const before = first.services.ledger.info();
    expect(before).toMatchObject({ mode: 'embedded', chainId: 31337 });
    const { proof } = await anchoredContractEvent(first);
    expect(await verify(first.services.ledger.embedded!.url, before.ledgerAddress!, proof)).toMatchObject({
      verified: true,
    });
    await first.close();
    server = undefined;
    expect(existsSync(join(dataDir, 'chain', 'state.json'))).toBe(true);

    const second = await start({ engine: 'pglite' });
    const url = second.services.ledger.embedded!.url;
    expect(second.services.ledger.info()).toEqual({ ...before, rpcUrl: url });
    expect(await verify(url, before.ledgerAddress!, proof)).toMatchObject({ verified: true, failure: null });
    // The server still holds the same record.
    expect(
      (await ledgerProofsForEvents(second.services.database.db, [proof.auditEventId])).get(proof.auditEventId),
    ).toEqual(proof);
    // And keeps anchoring.
    const after = await anchoredContractEvent(second);
    expect(after.proof.blockNumber).toBeGreaterThan(proof.blockNumber);
    expect(await verify(url, before.ledgerAddress!, after.proof)).toMatchObject({ verified: true });
  });
});

// A chain that loses its state under a running server (`anvil_reset`: every block, log and contract
// gone): the server notices, marks the batches whose anchors vanished, and anchors them again — after
// redeploying the ledger itself on the embedded chain; on an external chain it refuses to anchor
// (`ledger_missing`) until the operator acts, either by bringing the ledger back at its address or by
// deploying a new one and restarting with it. Afterwards the proofs verify against the new chain, the
// evidence bundles carry the new anchors, and the bundles handed out before are superseded.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CmsClient, createCmsClient, didKeySigner, type EvidenceBundle } from '@cms/sdk';
import { verifyEvidence } from '@cms/sdk/evm';
import { type Address, createPublicClient, getAddress, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type AnvilProcess, spawnAnvil } from '../src/ledger/anvil/spawn-anvil.js';
import { deployLedger } from '../src/ledger/chain/deploy-ledger.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';
import { type RunningServer, startServer } from '../src/server.js';
import { pgliteTemplate } from '../src/testing/test-database.js';
import { loggedInClient, request } from './api-helpers.js';
import { waitUntil } from './ledger-helpers.js';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop().catch(() => {});
});
afterAll(async () => {
  for (const r of running.splice(0).reverse()) await r.stop().catch(() => {});
});

async function start(env: Record<string, string>, dataDir: string | undefined, fresh: boolean): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    CMS_LOG_LEVEL: 'silent',
    CMS_RATE_LIMIT: 'off',
    CMS_LEDGER_BATCH_WAIT_MS: '50',
    CMS_LEDGER_CHECK_INTERVAL_MS: '300',
    ...env,
  });
  const server = await startServer({
    ...config,
    dataDir,
    webDir: undefined,
    database: { engine: 'pglite', ...(fresh && { loadDataDir: await pgliteTemplate() }) },
  });
  running.push({ stop: () => server.close() });
  return server;
}

const rpc = async (url: string, method: string, params: unknown[] = []) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
};

async function startAnvil(): Promise<AnvilProcess> {
  const anvil = await spawnAnvil();
  running.push(anvil);
  return anvil;
}

const external = (anvil: AnvilProcess, ledgerAddress: Address, key: `0x${string}`) => ({
  CMS_CHAIN: 'external',
  CMS_CHAIN_RPC_URLS: anvil.url,
  CMS_CHAIN_ID: '31337',
  CMS_LEDGER_ADDRESS: ledgerAddress,
  CMS_RECORDER_PRIVATE_KEY: key,
});

const get = async (s: RunningServer, path: string, token: string) =>
  (await request(s.url, 'GET', path, { token })).json;
const status = async (s: RunningServer, token: string) => get(s, '/v1/ledger/status', token);
const metric = async (s: RunningServer, line: RegExp) => line.exec((await request(s.url, 'GET', '/metrics')).text)?.[1];

/** A contract whose every event is confirmed on chain, and its evidence bundle. */
async function anchoredContract(s: RunningServer, client: CmsClient, title: string) {
  const contract = await client.contracts.create({ title });
  let bundle!: EvidenceBundle;
  await waitUntil(
    async () => {
      bundle = await client.contracts.evidence(contract.id);
      return bundle.anchors.length === bundle.events.length && bundle.anchors.every((a) => a.status === 'confirmed');
    },
    30_000,
    `the events of "${title}" confirmed`,
  );
  return { contract, bundle };
}

const chainOf = (anvil: { url: string }) => createPublicClient({ transport: http(anvil.url) });

describe('an external chain loses its state', () => {
  it('refuses with ledger_missing, then re-anchors every batch on the ledger the operator deploys; old bundles are superseded', async () => {
    const anvil = await startAnvil();
    const chain = chainOf(anvil);
    const first = getAddress((await deployLedger(chain, privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]))).address);
    const dataDir = mkdtempSync(join(tmpdir(), 'cms-state-loss-'));
    const a = await start(external(anvil, first, ANVIL_DEV_PRIVATE_KEYS[0]), dataDir, true);
    const user = await loggedInClient(a.url);
    const token = () => user.token.accessToken;
    const { contract, bundle: before } = await anchoredContract(a, user.client, 'before the loss');
    expect(await verifyEvidence(before, { client: chain, ledgerAddress: first, requireAnchors: true })).toMatchObject({
      valid: true,
      chainChecked: true,
    });
    expect((await status(a, token())).chainState).toMatchObject({ state: 'ok', lostBatches: 0, reanchoredBatches: 0 });

    await rpc(anvil.url, 'anvil_reset'); // the node forgets everything, the ledger contract included
    await waitUntil(
      async () => (await status(a, token())).chainState.state === 'ledger_missing',
      20_000,
      'ledger_missing',
    );
    const missing = await status(a, token());
    expect(missing.chainState.detail).toContain(`no ContractLedger code at ${first} on chain 31337`);
    expect(missing.chainState.detail).toContain('CMS_LEDGER_ADDRESS');
    expect(await metric(a, /^cms_ledger_chain_state\{state="ledger_missing"\} (\d+)$/m)).toBe('1');
    expect(await metric(a, /^cms_ledger_chain_state\{state="ok"\} (\d+)$/m)).toBe('0');
    const ready = await request(a.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({
      status: 'degraded',
      checks: { database: { status: 'up' }, chain: { status: 'degraded', required: false } },
    });
    expect(ready.json.checks.chain.detail).toContain('no ContractLedger code');
    // Writes still succeed; their events wait in the outbox instead of going to an address without code.
    const during = await user.client.contracts.create({ title: 'while the ledger is missing' });
    await new Promise((r) => setTimeout(r, 1_500));
    const waiting = await status(a, token());
    expect(waiting.chainState.state).toBe('ledger_missing');
    expect(waiting.backlog.unbatchedEvents).toBeGreaterThanOrEqual(1);
    expect((await user.client.contracts.get(during.id)).ledger.status).toBe('pending');
    await a.close();

    // The operator deploys a new ledger (another owner, so another address) and restarts with it.
    const second = getAddress((await deployLedger(chain, privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[1]))).address);
    expect(second).not.toBe(first);
    const b = await start(external(anvil, second, ANVIL_DEV_PRIVATE_KEYS[1]), dataDir, false);
    // Sessions lived in the first process's memory: log in again with the same DID (the same user).
    const again = createCmsClient({ baseUrl: b.url });
    const newToken = await again.auth.login(await didKeySigner(user.key.privateKey));
    await waitUntil(
      async () => {
        const s = await status(b, newToken.accessToken);
        return s.chainState.state === 'ok' && s.backlog.events === 0 && s.chainState.reanchoredBatches >= 1;
      },
      30_000,
      'every batch anchored again on the new ledger',
    );
    expect(Number(await metric(b, /^cms_ledger_anchor_losses_total (\d+)$/m))).toBeGreaterThanOrEqual(1);
    expect(await metric(b, /^cms_ledger_lost_batches (\d+)$/m)).toBe('0');

    const lostAnchor = before.anchors[0]!;
    const batch = await get(b, `/v1/ledger/batches/${lostAnchor.batchId}`, newToken.accessToken);
    expect(batch).toMatchObject({ status: 'confirmed', ledgerAddress: second, root: lostAnchor.root });
    expect(batch.lostAt).not.toBeNull();
    expect(batch.losses).toEqual([
      expect.objectContaining({
        chainId: 31337,
        ledgerAddress: first,
        transactionHash: lostAnchor.transactionHash,
        blockNumber: lostAnchor.blockNumber,
        anchoredAt: lostAnchor.anchoredAt,
      }),
    ]);
    expect(batch.losses[0].reason).toContain(`the ledger contract at ${first} is gone`);

    // The bundle now carries the new anchor and verifies against the new ledger; the old one no longer does.
    const after = await again.contracts.evidence(contract.id);
    expect(after.anchors[0]).toMatchObject({
      status: 'confirmed',
      ledgerAddress: second,
      root: lostAnchor.root,
      proof: lostAnchor.proof,
    });
    expect(after.anchors[0]!.transactionHash).not.toBe(lostAnchor.transactionHash);
    expect(await verifyEvidence(after, { client: chain, ledgerAddress: second, requireAnchors: true })).toMatchObject({
      valid: true,
      chainChecked: true,
    });
    expect((await verifyEvidence(before, { client: chain, ledgerAddress: second, requireAnchors: true })).valid).toBe(
      false,
    );
    // The event written while the ledger was missing is anchored too.
    const late = await again.contracts.evidence(during.id);
    expect(late.anchors.every((x) => x.status === 'confirmed' && x.ledgerAddress === second)).toBe(true);
    expect(await verifyEvidence(late, { client: chain, ledgerAddress: second, requireAnchors: true })).toMatchObject({
      valid: true,
    });
  });

  it('resumes by itself when the ledger reappears at its address, anchoring every batch again', async () => {
    const anvil = await startAnvil();
    const chain = chainOf(anvil);
    const owner = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
    const ledger = getAddress((await deployLedger(chain, owner)).address);
    const s = await start(external(anvil, ledger, ANVIL_DEV_PRIVATE_KEYS[0]), undefined, true);
    const user = await loggedInClient(s.url);
    const { contract, bundle: before } = await anchoredContract(s, user.client, 'anchored, then lost');

    await rpc(anvil.url, 'anvil_reset');
    await waitUntil(
      async () => (await status(s, user.token.accessToken)).chainState.state === 'ledger_missing',
      20_000,
      'ledger_missing',
    );
    // The node is brought back with the ledger (here: deployed again by the same owner at nonce 0, so at
    // the same address, but empty): every root this server anchored on it is sent again, in blocks whose
    // time is later than the lost anchor's. (Blocks mined back to back run ahead of the wall clock, and a
    // reset chain starts from the wall clock again, so waiting a second would not be enough.)
    const lostAt = Math.floor(Date.parse(before.anchors[0]!.anchoredAt!) / 1000);
    await rpc(anvil.url, 'evm_setNextBlockTimestamp', [lostAt + 10]);
    expect(getAddress((await deployLedger(chain, owner)).address)).toBe(ledger);
    await waitUntil(
      async () => {
        const st = await status(s, user.token.accessToken);
        return st.chainState.state === 'ok' && st.backlog.events === 0 && st.chainState.reanchoredBatches >= 1;
      },
      30_000,
      'the lost batches anchored again',
    );
    const after = await user.client.contracts.evidence(contract.id);
    expect(after.anchors[0]).toMatchObject({
      status: 'confirmed',
      ledgerAddress: ledger,
      root: before.anchors[0]!.root,
    });
    expect(await verifyEvidence(after, { client: chain, ledgerAddress: ledger, requireAnchors: true })).toMatchObject({
      valid: true,
      chainChecked: true,
    });
    // The loss is on record. (Replayed by the same account at the same nonce, the anchoring transaction
    // can come out byte for byte the same, hash included: only its block and time differ.)
    const batch = await get(s, `/v1/ledger/batches/${before.anchors[0]!.batchId}`, user.token.accessToken);
    expect(batch.losses).toEqual([
      expect.objectContaining({
        ledgerAddress: ledger,
        transactionHash: before.anchors[0]!.transactionHash,
        anchoredAt: before.anchors[0]!.anchoredAt,
      }),
    ]);
    expect(batch.losses[0].reason).toContain('anchor no longer on chain');
    // The bundle handed out before names the lost anchor's time: superseded.
    expect((await verifyEvidence(before, { client: chain, ledgerAddress: ledger, requireAnchors: true })).valid).toBe(
      false,
    );
  });
});

describe('the embedded chain loses its state', () => {
  it('redeploys the ledger and anchors the lost batches again', async () => {
    const s = await start({ CMS_CHAIN: 'embedded' }, undefined, true);
    const user = await loggedInClient(s.url);
    const { contract, bundle: before } = await anchoredContract(s, user.client, 'embedded, then reset');
    const url = s.services.ledger.embedded!.url;
    await rpc(url, 'anvil_reset');
    await waitUntil(
      async () => {
        const st = await status(s, user.token.accessToken);
        return st.chainState.reanchoredBatches >= 1 && st.chainState.state === 'ok' && st.backlog.events === 0;
      },
      30_000,
      'the lost batches anchored again',
    );
    const ledgerAddress = s.services.ledger.info().ledgerAddress!;
    const after = await user.client.contracts.evidence(contract.id);
    expect(after.anchors[0]).toMatchObject({ status: 'confirmed', ledgerAddress, root: before.anchors[0]!.root });
    expect(
      await verifyEvidence(after, { client: chainOf({ url }), ledgerAddress, requireAnchors: true }),
    ).toMatchObject({ valid: true, chainChecked: true });
    const batch = await get(s, `/v1/ledger/batches/${after.anchors[0]!.batchId}`, user.token.accessToken);
    expect(batch.losses).toHaveLength(1);
    expect(batch.losses[0].reason).toContain('lost the ledger contract');
  });
});

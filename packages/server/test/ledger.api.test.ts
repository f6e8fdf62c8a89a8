// The ledger through the API on the embedded chain, and the SDK's verifier with its own viem client.
import { ledgerLeafOf } from '@cms/sdk';
import { contractLedgerAbi, verifyAnchoredEvent } from '@cms/sdk/evm';
import { desc, eq } from 'drizzle-orm';
import { type Address, createPublicClient, createWalletClient, type Hex, http, keccak256, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorChainHeads } from '../src/audit/anchor-chain-heads.js';
import { auditEvents, ledgerOutbox } from '../src/db/schema/index.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';
import { waitUntil } from './ledger-helpers.js';

let server: TestServer;
let alice: Awaited<ReturnType<typeof loggedInClient>>;
let bob: Awaited<ReturnType<typeof loggedInClient>>;

beforeAll(async () => {
  server = await startTestServer({
    chain: { mode: 'embedded', confirmations: 1 },
    ledger: { batchSize: 1000, batchMaxWaitMs: 50 },
  });
  [alice, bob] = await Promise.all([loggedInClient(server.url), loggedInClient(server.url)]);
});
afterAll(() => server?.close());

const chainClient = () => createPublicClient({ transport: http(server.services.ledger.embedded!.url) });

async function eventIdsOf(contractId: string): Promise<string[]> {
  const rows = await server.services.database.db
    .select({ id: ledgerOutbox.auditEventId })
    .from(ledgerOutbox)
    .where(eq(ledgerOutbox.contractId, contractId))
    .orderBy(ledgerOutbox.id);
  return rows.map((r) => r.id);
}

async function confirmedProof(auditEventId: string, token: string) {
  let res!: Awaited<ReturnType<typeof request>>;
  await waitUntil(
    async () =>
      (res = await request(server.url, 'GET', `/v1/ledger/events/${auditEventId}`, { token })).json?.status ===
      'confirmed',
    20_000,
    'a confirmed anchor',
  );
  return res.json;
}

describe('ledger API', () => {
  it('GET /v1/status reports the embedded chain, its JSON-RPC URL and its ledger contract, enough to read the chain', async () => {
    const res = await request(server.url, 'GET', '/v1/status');
    expect(res.json.chain).toEqual({
      mode: 'embedded',
      chainId: 31337,
      ledgerAddress: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
      rpcUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    // Only what the status answered: a client of that URL finds the ledger contract there.
    const own = createPublicClient({ transport: http(res.json.chain.rpcUrl) });
    expect(await own.getChainId()).toBe(31337);
    expect(await own.getCode({ address: res.json.chain.ledgerAddress })).toMatch(/^0x[0-9a-f]{100,}$/);
  });

  it('a created contract’s event gets a proof that the SDK verifies on chain with its own client', async () => {
    const contract = await alice.client.contracts.create({ title: 'Anchored NDA' });
    const [eventId] = await eventIdsOf(contract.id);
    const proof = await confirmedProof(eventId!, alice.token.accessToken);
    const { chain } = (await request(server.url, 'GET', '/v1/status')).json;
    expect(proof).toMatchObject({
      auditEventId: eventId,
      status: 'confirmed',
      chainId: 31337,
      ledgerAddress: chain.ledgerAddress,
      transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      blockNumber: expect.any(Number),
      root: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      anchoredAt: expect.any(String),
    });
    const [event] = await server.services.database.db.select().from(auditEvents).where(eq(auditEvents.id, eventId!));
    expect(proof.eventHash).toBe(event!.hash);

    const client = chainClient();
    const receipt = await client.getTransactionReceipt({ hash: proof.transactionHash });
    expect(receipt.to?.toLowerCase()).toBe(chain.ledgerAddress.toLowerCase());
    const eventContent = {
      id: event!.id,
      organizationId: event!.organizationId,
      seq: event!.seq,
      occurredAt: event!.occurredAt.toISOString(),
      actorDid: event!.actorDid,
      action: event!.action,
      resource: { type: event!.resourceType, id: event!.resourceId },
      data: event!.data,
      prevHash: event!.prevHash,
    };
    const args = {
      client,
      ledgerAddress: chain.ledgerAddress as Address,
      eventHash: proof.eventHash as Hex,
      proof: proof.proof as Hex[],
      root: proof.root as Hex,
    };
    expect(await verifyAnchoredEvent({ ...args, event: eventContent })).toMatchObject({
      verified: true,
      failure: null,
      leafCount: expect.any(Number),
      revoked: false,
      anchoredAt: new Date(proof.anchoredAt),
    });
    // Every part is checked: the event, the proof, the root, the contract.
    expect((await verifyAnchoredEvent({ ...args, event: { ...eventContent, data: { forged: true } } })).failure).toBe(
      'event_hash_mismatch',
    );
    expect((await verifyAnchoredEvent({ ...args, eventHash: keccak256(toHex('forged')) })).failure).toBe(
      'proof_mismatch',
    );
    expect((await verifyAnchoredEvent({ ...args, proof: [keccak256(toHex('x'))] })).failure).toBe('proof_mismatch');
    const lone = keccak256(toHex('never anchored'));
    expect((await verifyAnchoredEvent({ ...args, eventHash: lone, proof: [], root: ledgerLeafOf(lone) })).failure).toBe(
      'root_not_anchored',
    );
    expect(
      await verifyAnchoredEvent({ ...args, ledgerAddress: '0x000000000000000000000000000000000000dEaD' }).catch(
        (e) => e,
      ),
    ).toBeInstanceOf(Error);

    // The owner revokes the root: it no longer verifies.
    const owner = createWalletClient({
      account: privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]),
      transport: http(server.services.ledger.embedded!.url),
    });
    const revoke = await owner.writeContract({
      chain: null,
      address: chain.ledgerAddress,
      abi: contractLedgerAbi,
      functionName: 'revoke',
      args: [proof.root],
    });
    await client.waitForTransactionReceipt({ hash: revoke });
    expect(await verifyAnchoredEvent(args)).toMatchObject({ verified: false, failure: 'root_revoked', revoked: true });

    const batch = await request(server.url, 'GET', `/v1/ledger/batches/${proof.batchId}`, {
      token: alice.token.accessToken,
    });
    expect(batch.json).toMatchObject({
      id: proof.batchId,
      status: 'confirmed',
      root: proof.root,
      transactionHash: proof.transactionHash,
      blockNumber: proof.blockNumber,
      attempts: 1,
      lastError: null,
    });
  });

  it('anchors an organization’s chain head when no contract event did, once, covering the whole chain', async () => {
    const carol = await loggedInClient(server.url);
    const token = carol.client.auth.accessToken!;
    const organizationId = (await carol.client.me.get()).organizationId;
    const db = server.services.database.db;
    const queuedOf = async () =>
      (await db.select().from(ledgerOutbox).where(eq(ledgerOutbox.organizationId, organizationId))).length;
    // organization.created, auth.login: neither is anchored as it happens.
    expect(await queuedOf()).toBe(0);
    const before = await request(server.url, 'GET', '/v1/audit/verify', { token });
    expect(before.json.anchoring).toMatchObject({ coveredEvents: 0 });

    expect(await anchorChainHeads(db)).toBeGreaterThanOrEqual(1);
    expect(await queuedOf()).toBe(1);
    const [head] = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.organizationId, organizationId))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    const proof = await confirmedProof(head!.id, token);
    expect(proof.eventHash).toBe(head!.hash);
    const after = await request(server.url, 'GET', '/v1/audit/verify', { token });
    expect(after.json).toMatchObject({ verified: true });
    expect(after.json.anchoring.coveredEvents).toBe(after.json.checkedEvents);

    // Nothing new: nothing queued again.
    await anchorChainHeads(db);
    expect(await queuedOf()).toBe(1);
  });

  it('hides another organization’s event proofs', async () => {
    const contract = await alice.client.contracts.create({ title: 'Alice only' });
    const [eventId] = await eventIdsOf(contract.id);
    const res = await request(server.url, 'GET', `/v1/ledger/events/${eventId}`, { token: bob.token.accessToken });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('not_found');
    expect(
      (
        await request(server.url, 'GET', `/v1/ledger/batches/00000000-0000-7000-8000-000000000000`, {
          token: bob.token.accessToken,
        })
      ).status,
    ).toBe(404);
    // Alice's batch is hers (and any organization's with an event in it), not Bob's.
    const proof = await confirmedProof(eventId!, alice.token.accessToken);
    expect(
      (await request(server.url, 'GET', `/v1/ledger/batches/${proof.batchId}`, { token: alice.token.accessToken }))
        .json,
    ).toMatchObject({ id: proof.batchId, root: proof.root });
    const other = await request(server.url, 'GET', `/v1/ledger/batches/${proof.batchId}`, {
      token: bob.token.accessToken,
    });
    expect(other.status).toBe(404);
    expect(other.json.code).toBe('not_found');
  });

  it('GET /v1/ledger/status shows the chain, its head and an empty backlog once everything is anchored', async () => {
    await alice.client.contracts.create({ title: 'one more' });
    let res!: Awaited<ReturnType<typeof request>>;
    await waitUntil(
      async () =>
        (res = await request(server.url, 'GET', '/v1/ledger/status', { token: bob.token.accessToken })).json.backlog
          .events === 0,
      20_000,
      'an empty backlog',
    );
    expect(res.json).toEqual({
      mode: 'embedded',
      chainId: 31337,
      ledgerAddress: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
      recorder: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
      confirmations: 1,
      reachable: true,
      head: expect.any(Number),
      lastError: null,
      chainState: { state: 'ok', detail: null, checkedAt: expect.any(String), lostBatches: 0, reanchoredBatches: 0 },
      backlog: { events: 0, unbatchedEvents: 0, pendingBatches: 0, submittedBatches: 0, failedBatches: 0 },
    });
    expect(res.json.head).toBeGreaterThanOrEqual(2);
    expect((await request(server.url, 'GET', '/v1/ledger/status')).status).toBe(401);
  });
});

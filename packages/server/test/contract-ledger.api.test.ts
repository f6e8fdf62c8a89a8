// Contracts report where their latest event stands on the chain, and create/send/sign can wait
// (bounded) for the anchoring transaction, as the seed's flows return it.
import { didKeySigner } from '@cms/sdk';
import { verifyAnchoredEvent } from '@cms/sdk/evm';
import { createPublicClient, http } from 'viem';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient } from './api-helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ chain: { mode: 'embedded', confirmations: 1 } });
});
afterAll(() => server?.close());

it('returns the anchoring transaction when asked to wait, and the status on every read', async () => {
  const [owner, signerUser] = [await loggedInClient(server.url), await loggedInClient(server.url)];
  const created = await owner.client.contracts.create(
    { title: 'Anchored', parties: [{ did: signerUser.key.did, role: 'signer' }] },
    { waitForAnchor: 20 },
  );
  expect(created.ledger).toMatchObject({
    status: 'confirmed',
    transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
  });
  expect(created.ledger.blockNumber).toBeGreaterThan(0);

  const sent = await owner.client.contracts.send(created.id);
  expect(sent.ledger).toMatchObject({ status: 'pending', transactionHash: null });
  const signed = await signerUser.client.contracts.sign(created.id, {
    signer: await didKeySigner(signerUser.key.privateKey),
    waitForAnchor: 20,
  });
  expect(signed).toMatchObject({ status: 'executed', ledger: { status: 'confirmed' } });
  expect(signed.ledger.transactionHash).not.toBe(created.ledger.transactionHash);

  const listed = (await owner.client.contracts.list()).data.find((c) => c.id === created.id)!;
  expect(listed.ledger).toEqual(signed.ledger);
  expect((await owner.client.contracts.get(created.id)).ledger).toEqual(signed.ledger);

  // Every anchored event of the evidence verifies on chain with our own client.
  const evidence = await owner.client.contracts.evidence(created.id);
  const status = await owner.client.status();
  // Our own client, straight to the chain: nothing the CMS server says is trusted.
  const client = createPublicClient({ transport: http(server.services.ledger.embedded!.url) });
  const anchored = evidence.anchors.filter((a) => a.status === 'confirmed');
  expect(anchored.length).toBeGreaterThanOrEqual(2);
  for (const a of anchored) {
    const result = await verifyAnchoredEvent({
      client,
      ledgerAddress: status.chain.ledgerAddress as `0x${string}`,
      eventHash: a.eventHash as `0x${string}`,
      proof: a.proof as `0x${string}`[],
      root: a.root as `0x${string}`,
    });
    expect(result.verified).toBe(true);
  }
});

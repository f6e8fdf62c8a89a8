// The ledger through the SDK against a real server anchoring on its own embedded chain (anvil): status,
// waiting for an anchor, an event's proof and batch, and checking them on chain with our own viem client.
import { verifyAuditExport } from '@cms/sdk';
import { evmEvidenceVerifier, ledgerAnchorChecker, verifyAnchoredEvent } from '@cms/sdk/evm';
import { startTestServer, type TestServer } from '@cms/server/testing';
import { type Address, createPublicClient, type Hex, http } from 'viem';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DidKeyUser, didKeyUser } from './users.js';

let server: TestServer;
let owner: DidKeyUser, alice: DidKeyUser;
beforeAll(async () => {
  server = await startTestServer({ chain: { mode: 'embedded', confirmations: 1 } });
  [owner, alice] = await Promise.all([didKeyUser(server.url), didKeyUser(server.url)]);
});
afterAll(() => server?.close());

it('anchors a contract, serves its proof and batch, and both verify on chain without trusting the server', async () => {
  const status = await owner.client.ledger.status();
  expect(status).toMatchObject({
    mode: 'embedded',
    reachable: true,
    ledgerAddress: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
  });
  const ledgerAddress = status.ledgerAddress as Address;

  const created = await owner.client.contracts.create(
    { title: 'Anchored NDA', parties: [{ did: alice.did, role: 'signer' }] },
    { waitForAnchor: 20 },
  );
  expect(created.ledger).toMatchObject({
    status: 'confirmed',
    transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
  });
  await owner.client.contracts.send(created.id);
  const signed = await alice.client.contracts.sign(created.id, { signer: alice.signer, waitForAnchor: 20 });
  expect(signed).toMatchObject({ status: 'executed', ledger: { status: 'confirmed' } });

  const evidence = await owner.client.contracts.evidence(created.id);
  const anchored = evidence.anchors.filter((a) => a.status === 'confirmed');
  expect(anchored.length).toBeGreaterThanOrEqual(2);

  const proof = await owner.client.ledger.eventProof(anchored[0]!.auditEventId);
  expect(proof).toMatchObject({
    status: 'confirmed',
    ledgerAddress,
    root: expect.any(String),
    batchId: expect.any(String),
  });
  const batch = await owner.client.ledger.batch(proof.batchId!);
  expect(batch).toMatchObject({
    id: proof.batchId,
    root: proof.root,
    status: 'confirmed',
    transactionHash: proof.transactionHash,
  });

  // Our own client, straight to the chain.
  const chain = createPublicClient({ transport: http(server.services.ledger.embedded!.url) });
  const onChain = await verifyAnchoredEvent({
    client: chain,
    ledgerAddress,
    eventHash: proof.eventHash as Hex,
    proof: proof.proof as Hex[],
    root: proof.root as Hex,
  });
  expect(onChain.verified).toBe(true);

  const verification = await owner.client.contracts.verify(created.id, {
    evm: evmEvidenceVerifier({ client: chain }),
    ledgerAddress,
  });
  expect(verification.checks.filter((c) => !c.ok)).toEqual([]);
  expect(verification).toMatchObject({ valid: true, chainChecked: true });
});

it('verifies an audit export on its own: signature by the JWKS, every confirmed anchor on the trusted ledger', async () => {
  const created = await owner.client.contracts.create({ title: 'Exported' }, { waitForAnchor: 20 });
  expect(created.ledger).toMatchObject({ status: 'confirmed' });
  const { ledgerAddress } = await owner.client.ledger.status();
  const text = await new Response(await owner.client.audit.export()).text();
  const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
  const client = createPublicClient({ transport: http(server.services.ledger.embedded!.url) });

  const report = await verifyAuditExport(text, {
    jwks,
    checkAnchor: ledgerAnchorChecker({ client, ledgerAddress: ledgerAddress as Address }),
  });
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(report).toMatchObject({ verified: true, signatureChecked: true, chainChecked: true, break: null });
  const onChain = report.checks.find((c) => c.name === 'anchors on chain')!;
  expect(Number(onChain.detail.split(' ')[0])).toBeGreaterThanOrEqual(1);

  // Another ledger (an address with no contract) does not vouch for these roots.
  const elsewhere = await verifyAuditExport(text, {
    checkAnchor: ledgerAnchorChecker({ client, ledgerAddress: `0x${'12'.repeat(20)}` }),
  });
  expect(elsewhere.verified).toBe(false);
  expect(elsewhere.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['anchors on chain']);
});

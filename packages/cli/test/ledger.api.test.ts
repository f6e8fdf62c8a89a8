// `cms ledger` and `cms verify` against a real server anchoring on its embedded chain.
import type { Contract, LedgerEventProof } from '@cms/sdk';
import { deployLedger } from '@cms/server';
import { startTestServer, type TestServer } from '@cms/server/testing';
import { createPublicClient, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ chain: { mode: 'embedded', confirmations: 1 } });
});
afterAll(() => server?.close());

async function loggedIn() {
  const env = { CMS_CONFIG_DIR: await tempDir() };
  expect((await runCli(['keys', 'generate'], env)).code).toBe(0);
  expect((await runCli(['login', '--server', server.url], env)).code).toBe(0);
  const cms = (args: string[]) => runCli(['--server', server.url, ...args], env);
  return { cms, env };
}

/** The audit event the contract's creation recorded (the API exposes it in the evidence bundle). */
async function creationEventId(contractId: string): Promise<string> {
  const result = (await server.services.database.db.execute(
    `select audit_event_id as id from ledger_outbox where contract_id = '${contractId}'`,
  )) as unknown as { rows?: { id: string }[] } & { id: string }[];
  return (result.rows ?? result)[0]!.id;
}

describe('cms ledger / cms verify', () => {
  it('shows an event’s proof and verifies it on chain through the given node and ledger', async () => {
    const { cms } = await loggedIn();
    const contract = JSON.parse(
      (await cms(['contracts', 'create', '--title', 'Anchored', '--json'])).stdout,
    ) as Contract;
    const eventId = await creationEventId(contract.id);
    let proof!: LedgerEventProof;
    for (let i = 0; i < 200; i++) {
      proof = JSON.parse((await cms(['ledger', 'proof', eventId, '--json'])).stdout);
      if (proof.status === 'confirmed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(proof).toMatchObject({ auditEventId: eventId, status: 'confirmed', chainId: 31337 });

    const rpcUrl = server.services.ledger.embedded!.url;
    const ok = await cms(['verify', eventId, '--rpc-url', rpcUrl, '--ledger', proof.ledgerAddress!, '--json']);
    expect(ok, ok.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(ok.stdout)).toMatchObject({
      auditEventId: eventId,
      verified: true,
      failure: null,
      transactionHash: proof.transactionHash,
      anchoredAt: proof.anchoredAt,
    });
    expect((await cms(['verify', eventId, '--rpc-url', rpcUrl, '--ledger', proof.ledgerAddress!])).stdout).toMatch(
      /verified\s+yes/,
    );

    // Another ledger contract (one the server never anchored on) does not vouch for the event.
    const client = createPublicClient({ transport: http(rpcUrl) });
    const other = await deployLedger(
      client,
      privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'),
    );
    const refused = await cms(['verify', eventId, '--rpc-url', rpcUrl, '--ledger', other.address, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ verified: false, failure: 'root_not_anchored' });
    expect(refused.stderr).toContain('verification_failed');

    const status = JSON.parse((await cms(['ledger', 'status', '--json'])).stdout);
    expect(status).toMatchObject({
      mode: 'embedded',
      chainId: 31337,
      ledgerAddress: proof.ledgerAddress,
      reachable: true,
    });
  });

  it('needs a node and a ledger address of your own', async () => {
    const { cms } = await loggedIn();
    const noRpc = await cms([
      'verify',
      '00000000-0000-7000-8000-000000000000',
      '--ledger',
      '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    ]);
    expect(noRpc.code).toBe(2);
    expect(noRpc.stderr).toContain('--rpc-url');
    const noLedger = await cms(['verify', '00000000-0000-7000-8000-000000000000', '--rpc-url', 'http://127.0.0.1:1']);
    expect(noLedger.code).toBe(2);
    expect(noLedger.stderr).toContain('--ledger');
  });
});

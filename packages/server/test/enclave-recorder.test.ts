// The chain recorder key lives in the enclave: anchoring transactions on the embedded chain are signed
// by the enclave's recorder address (authorized and funded by the chain's owner at start), and survive
// an enclave restart.
import { createPublicClient, http } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';
import { startTestServer, type TestServer, testEnclave } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ enclave: testEnclave(), chain: { mode: 'embedded', confirmations: 1 } });
}, 120_000);
afterAll(async () => server?.close());

describe('recorder key in the enclave', () => {
  it('signs anchoring transactions, before and after the enclave restarts', { timeout: 120_000 }, async () => {
    const { client } = await loggedInClient(server.url);
    const { recorderAddress } = (await request(server.url, 'GET', '/v1/enclave')).json;
    expect(recorderAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(recorderAddress).not.toBe(privateKeyToAddress(ANVIL_DEV_PRIVATE_KEYS[0]));
    const chain = createPublicClient({ transport: http(server.services.ledger.embedded!.url) });
    const anchoredBy = async (title: string) => {
      const res = await request(server.url, 'POST', '/v1/contracts?waitForAnchor=20', {
        token: client.auth.accessToken,
        body: { title },
      });
      expect(res.json.ledger.status).toBe('confirmed');
      return (await chain.getTransaction({ hash: res.json.ledger.transactionHash })).from;
    };
    expect((await anchoredBy('first')).toLowerCase()).toBe(recorderAddress.toLowerCase());
    process.kill(server.services.enclave.process!.pid()!, 'SIGKILL');
    // The worker retries while the enclave is down; the anchor lands once it is back.
    expect((await anchoredBy('after a restart')).toLowerCase()).toBe(recorderAddress.toLowerCase());
    expect(server.services.enclave.process!.restarts()).toBe(1);
  });
});

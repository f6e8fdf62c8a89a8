// An evidence bundle from a real server (external anvil, contract executed by a did:key and an Ethereum
// account, every change anchored) verifies in a fresh process once the server is gone, checked on the
// still-running chain; and any single change to it — a bit of a character, a number, a boolean, a
// removed element or key — fails verification with a named check.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCmsClient, didPkhFromAddress, type EvidenceBundle, type EvidenceVerification } from '@cms/sdk';
import { verifyEvidence } from '@cms/sdk/evm';
import fc from 'fast-check';
import { type Address, createPublicClient, http } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilProcess, spawnAnvil } from '../src/ledger/anvil/spawn-anvil.js';
import { deployLedger } from '../src/ledger/chain/deploy-ledger.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';
import { startTestServer, type TestServer, testEnclave } from '../src/testing/start-test-server.js';
import { loggedInClient } from './api-helpers.js';
import { waitUntil } from './ledger-helpers.js';
import { jsonPaths, mutateAt } from './support/mutate-json.js';
import { uploadTestFile } from './support/upload-test-file.js';

let anvil: AnvilProcess;
let server: TestServer | undefined;
let ledgerAddress: Address;
let bundle: EvidenceBundle;
let bundleFile: string;

beforeAll(async () => {
  // The chain is a process of its own, so it outlives the CMS server the way a real chain would.
  anvil = await spawnAnvil();
  const owner = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
  ledgerAddress = (await deployLedger(createPublicClient({ transport: http(anvil.url) }), owner)).address;
  server = await startTestServer({
    chain: {
      mode: 'external',
      rpcUrls: [anvil.url],
      chainId: 31337,
      ledgerAddress,
      recorderPrivateKey: () => ANVIL_DEV_PRIVATE_KEYS[0],
      confirmations: 1,
    },
    ledger: { batchSize: 1000, batchMaxWaitMs: 50 },
    // Documents are stored encrypted with the enclave's data keys.
    enclave: testEnclave(),
  });
  const author = await loggedInClient(server.url);
  const alice = await loggedInClient(server.url);
  const bobAccount = privateKeyToAccount(generatePrivateKey());
  const bob = createCmsClient({ baseUrl: server.url });
  await bob.auth.login(bobAccount);
  const sow = await uploadTestFile(
    server.url,
    author.client.auth.accessToken!,
    Buffer.from('# Statement of work\n\nBuild the thing.\n'),
    'text/markdown',
  );
  const draft = await author.client.contracts.create({
    title: 'Evidence under test',
    description: 'Every byte of this must be bound',
    terms: { rate: 120, remote: true, milestones: [{ due: '2026-06-30', amount: 5000 }] },
    parties: [
      { did: alice.key.did, role: 'signer', name: 'Alice', signingOrder: 1 },
      { did: didPkhFromAddress(bobAccount.address), role: 'signer', signingOrder: 2 },
      { did: author.key.did, role: 'viewer' },
    ],
    documents: [{ name: 'statement-of-work.md', sha256: sow.sha256, mediaType: sow.mediaType, size: sow.size }],
  });
  await author.client.contracts.send(draft.id);
  await alice.client.contracts.sign(draft.id, { signer: alice.signer });
  await bob.contracts.sign(draft.id, { signer: bobAccount });
  // Every change anchored and confirmed: the evidence then carries a proof for each.
  await waitUntil(
    async () => {
      bundle = await author.client.contracts.evidence(draft.id);
      const changes = bundle.events.filter((e) => 'toStatus' in e.data).length;
      return bundle.anchors.length === changes && bundle.anchors.every((a) => a.status === 'confirmed');
    },
    30_000,
    'every change of the contract confirmed on chain',
  );
  bundleFile = join(await mkdtemp(join(tmpdir(), 'cms-evidence-')), 'bundle.json');
  await writeFile(bundleFile, JSON.stringify(bundle, null, 2));
  await server.close();
  server = undefined;
});
afterAll(async () => {
  await server?.close();
  await anvil?.stop();
});

/** Runs the verifier in a new Node process, which knows only the file, the RPC URL and the ledger address. */
function verifyInFreshProcess(file: string, rpcUrl: string, ledger: string): Promise<EvidenceVerification> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        join(import.meta.dirname, 'support/verify-evidence-file.ts'),
        file,
        rpcUrl,
        ledger,
      ],
      {
        cwd: join(import.meta.dirname, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as EvidenceVerification)
        : reject(new Error(`verifier exited ${code}: ${err}`)),
    );
  });
}

describe('an evidence bundle from a real server', () => {
  it('verifies in a fresh process with no server, on the chain it was anchored on', async () => {
    const result = await verifyInFreshProcess(bundleFile, anvil.url, ledgerAddress);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result).toMatchObject({ valid: true, chainChecked: true });
    const names = result.checks.map((c) => c.check);
    expect(names).toEqual(
      expect.arrayContaining([
        'contract.contentHash',
        'signatures[0].signature',
        'signatures[1].signature',
        'contract.status',
        'chain.id',
        'anchors[0].onChain',
        'anchors[0].transaction',
      ]),
    );
    expect(bundle.signatures.map((s) => s.format)).toEqual(['jws', 'eip712']);
    expect(bundle.contract.status).toBe('executed');
  });

  it('fails, naming a check, after any single change to any field', async () => {
    const client = createPublicClient({ transport: http(anvil.url) });
    // Every field, `anchors[i].batchId` included (it derives from the root).
    const paths = jsonPaths(bundle);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.nat(), fc.integer({ min: 0, max: 6 }), async (path, pick, bit) => {
        const { doc, change } = mutateAt(bundle, path, pick, bit);
        const result = await verifyEvidence(doc, { client, ledgerAddress, requireAnchors: true });
        const failed = result.checks.filter((c) => !c.ok);
        expect(result.valid, `still valid after ${change}`).toBe(false);
        expect(failed.length, change).toBeGreaterThan(0);
        expect(failed[0]!.check).toMatch(/^[a-z]+(\[\d+\])?(\.[A-Za-z]+)?$/);
      }),
      { numRuns: 60 },
    );
  });
});

// `cms-server ledger deploy | authorize-recorder`, `keys rotate | export-public` and `doctor`, run the way an
// operator runs them: an environment in, lines out, an exit code. The chain is a real anvil.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contractLedgerAbi } from '@cms/sdk/evm';
import { type Address, createPublicClient, http, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../src/cli-admin/admin-commands.js';
import { type AnvilProcess, spawnAnvil } from '../src/ledger/anvil/spawn-anvil.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';

let anvil: AnvilProcess;
let dir: string;
const OWNER = ANVIL_DEV_PRIVATE_KEYS[0];

beforeAll(async () => {
  anvil = await spawnAnvil();
  dir = mkdtempSync(join(tmpdir(), 'cms-operator-'));
});
afterAll(async () => {
  await anvil?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string>): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runAdminCommand(argv, { CMS_DATA_DIR: join(dir, 'data'), ...env }, (l) => lines.push(l));
  return { code, lines };
}

describe('cms-server ledger', () => {
  let ledger: Address;
  const recorderKey = generatePrivateKey();
  const recorder = privateKeyToAccount(recorderKey).address;
  const chainEnv = () => ({ CMS_CHAIN_RPC_URLS: anvil.url, CMS_LEDGER_OWNER_PRIVATE_KEY: OWNER });
  const client = () => createPublicClient({ transport: http(anvil.url) });

  it('deploy puts ContractLedger on the chain, owned by the owner key, and prints CMS_LEDGER_ADDRESS', async () => {
    const { code, lines } = await run(['ledger', 'deploy'], chainEnv());
    expect(code).toBe(0);
    const line = lines.find((l) => l.startsWith('CMS_LEDGER_ADDRESS='));
    ledger = line!.slice('CMS_LEDGER_ADDRESS='.length) as Address;
    expect(ledger).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const owner = await client().readContract({ address: ledger, abi: contractLedgerAbi, functionName: 'owner' });
    expect(owner).toBe(privateKeyToAccount(OWNER).address);
  });

  it('authorize-recorder lets an address anchor and funds it', async () => {
    const { code, lines } = await run(['ledger', 'authorize-recorder', recorder, '--fund', '0.5'], {
      ...chainEnv(),
      CMS_LEDGER_ADDRESS: ledger,
    });
    expect(code).toBe(0);
    expect(lines[0]).toBe(`${recorder} may now anchor on ${ledger}`);
    expect(
      await client().readContract({
        address: ledger,
        abi: contractLedgerAbi,
        functionName: 'recorders',
        args: [recorder],
      }),
    ).toBe(true);
    expect(await client().getBalance({ address: recorder })).toBe(parseEther('0.5'));
  });

  it("authorize-recorder without an address authorizes this instance's enclave recorder key", async () => {
    const enclaveDir = join(dir, 'enclave-a');
    const env = { ...chainEnv(), CMS_LEDGER_ADDRESS: ledger, CMS_ENCLAVE_DATA_DIR: enclaveDir };
    const { lines } = await run(['ledger', 'authorize-recorder'], env);
    const address = lines[0]!.split(' ')[0] as Address;
    expect(
      await client().readContract({
        address: ledger,
        abi: contractLedgerAbi,
        functionName: 'recorders',
        args: [address],
      }),
    ).toBe(true);
    // The same data directory holds the same key: running it again names the same address.
    expect((await run(['ledger', 'authorize-recorder', '--revoke'], env)).lines[0]).toBe(
      `${address} may no longer anchor on ${ledger}`,
    );
    expect(
      await client().readContract({
        address: ledger,
        abi: contractLedgerAbi,
        functionName: 'recorders',
        args: [address],
      }),
    ).toBe(false);
  });

  it('refuses a node on another chain than CMS_CHAIN_ID, and names a missing owner key', async () => {
    await expect(run(['ledger', 'deploy'], { ...chainEnv(), CMS_CHAIN_ID: '1' })).rejects.toThrow(
      'the node reports chain id 31337, CMS_CHAIN_ID says 1',
    );
    await expect(run(['ledger', 'deploy'], { CMS_CHAIN_RPC_URLS: anvil.url })).rejects.toThrow(
      'Invalid configuration:\n  CMS_LEDGER_OWNER_PRIVATE_KEY: Invalid input: expected string, received undefined',
    );
  });

  it('doctor passes against the deployed ledger and names each broken dependency with its fix', async () => {
    const base = {
      CMS_CHAIN: 'external',
      CMS_CHAIN_RPC_URLS: anvil.url,
      CMS_LEDGER_ADDRESS: ledger,
      CMS_RECORDER_PRIVATE_KEY: recorderKey,
      CMS_ENCLAVE: 'disabled',
    };
    const good = await run(['doctor'], base);
    expect(good.code).toBe(0);
    expect(good.lines.find((l) => l.startsWith('OK    ledger'))).toBe(
      `OK    ledger     ContractLedger at ${ledger}; recorder ${recorder} authorized`,
    );
    expect(good.lines.at(-1)).toMatch(/^all checks passed/);

    const stranger = generatePrivateKey();
    const bad = await run(['doctor'], {
      ...base,
      CMS_RECORDER_PRIVATE_KEY: stranger,
      CMS_CHAIN_RPC_URLS: `http://127.0.0.1:1,${anvil.url}`,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(bad.code).toBe(1);
    const text = bad.lines.join('\n');
    const who = privateKeyToAccount(stranger).address;
    expect(text).toContain('FAIL  chain      http://127.0.0.1:1/:');
    expect(text).toContain('fix: start the node or remove it from CMS_CHAIN_RPC_URLS (the others take over)');
    expect(text).toContain(`FAIL  ledger     recorder ${who} may not anchor on ${ledger}`);
    expect(text).toContain(`fix: run \`cms-server ledger authorize-recorder ${who}\` with the owner key`);
    expect(text).toContain(`FAIL  ledger     recorder ${who} has no funds for gas`);
    expect(text).toContain('FAIL  redis      cannot reach Redis at redis://127.0.0.1:1:');
    expect(text).not.toContain(stranger.slice(2));
    expect(bad.lines.at(-1)).toBe('4 problem(s), 0 warning(s)');
  });
});

describe('cms-server keys', () => {
  it('rotate makes a new current key; export-public prints every verifying public key and no private part', async () => {
    const env = { CMS_DATA_DIR: join(dir, 'keys-test') };
    await expect(run(['keys', 'export-public'], env)).rejects.toThrow('no signing key in');
    const first = (await run(['keys', 'rotate'], env)).lines[0]!.split(' ')[4];
    const second = (await run(['keys', 'rotate'], env)).lines[0]!.split(' ')[4];
    const { keys } = JSON.parse((await run(['keys', 'export-public'], env)).lines.join('\n')) as {
      keys: { kid: string; d?: string }[];
    };
    // The first rotate retired the key it found missing and created: three keys verify, newest first.
    expect(keys[0]!.kid).toBe(second);
    expect(keys.map((k) => k.kid)).toContain(first);
    expect(keys).toHaveLength(3);
    expect(keys.every((k) => k.d === undefined)).toBe(true);
    expect(statSync(join(dir, 'keys-test/keys/access-token-ed25519.json')).mode & 0o777).toBe(0o600);
  });
});

describe('the cms-server binary', () => {
  it('dispatches operator commands and exits non-zero with a readable message', () => {
    const r = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(import.meta.dirname, '../src/main.ts'), 'keys', 'bogus'],
      {
        cwd: join(import.meta.dirname, '..'),
        env: { PATH: process.env.PATH, CMS_DATA_DIR: join(dir, 'bin') },
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('cms-server keys: usage: cms-server keys rotate | keys export-public');
  });
});

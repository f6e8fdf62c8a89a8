// ContractLedger compiled for older EVMs: the default (`petersburg`) bytecode deploys, anchors and verifies
// on an anvil running petersburg and paris rules, where the cancun build (PUSH0) cannot even deploy; and
// what the older target costs in gas, measured on one chain.

import { contractLedgerAbi } from '@cms/sdk/evm';
import { type Address, encodeFunctionData, keccak256, type PublicClient, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, describe, expect, it } from 'vitest';
import { type AnvilProcess, spawnAnvil } from '../src/ledger/anvil/spawn-anvil.js';
import { createChainClients } from '../src/ledger/chain/chain-clients.js';
import { deployLedger, LEDGER_EVM_VERSIONS, type LedgerEvmVersion } from '../src/ledger/chain/deploy-ledger.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';
import { createNonceManager } from '../src/ledger/chain/nonce-manager.js';
import { sendTransaction } from '../src/ledger/chain/send-transaction.js';

const owner = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
const chains: AnvilProcess[] = [];
afterAll(async () => void (await Promise.all(chains.map((c) => c.stop()))));

async function chain(hardfork: string): Promise<PublicClient> {
  const anvil = await spawnAnvil({ hardfork });
  chains.push(anvil);
  return createChainClients({ rpcUrls: [anvil.url] }).publicClient;
}

/** Anchors one root and checks it verifies; returns the anchor's gas. */
async function anchorOnce(client: PublicClient, ledger: Address, seed: string): Promise<bigint> {
  const eventHash = keccak256(toHex(seed));
  const root = await client.readContract({
    address: ledger,
    abi: contractLedgerAbi,
    functionName: 'leafOf',
    args: [eventHash],
  });
  const data = encodeFunctionData({ abi: contractLedgerAbi, functionName: 'anchor', args: [root, 1] });
  const { hash } = await sendTransaction(client, owner, createNonceManager(client, owner.address), {
    to: ledger,
    data,
    chainId: await client.getChainId(),
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe('success');
  expect(
    await client.readContract({
      address: ledger,
      abi: contractLedgerAbi,
      functionName: 'verifyEvent',
      args: [root, eventHash, []],
    }),
  ).toBe(true);
  return receipt.gasUsed;
}

describe('ContractLedger on older EVMs', () => {
  it.each(['petersburg', 'paris'])(
    'the default build deploys, anchors and verifies under %s rules',
    async (hardfork) => {
      const client = await chain(hardfork);
      const { address } = await deployLedger(client, owner);
      expect(await client.readContract({ address, abi: contractLedgerAbi, functionName: 'VERSION' })).toBe('1.0.0');
      expect(await anchorOnce(client, address, hardfork)).toBeGreaterThan(0n);
    },
  );

  it('the cancun build does not deploy under paris rules (PUSH0), the paris build does', async () => {
    const client = await chain('paris');
    await expect(deployLedger(client, owner, { evmVersion: 'cancun' })).rejects.toThrow();
    const { address } = await deployLedger(client, owner, { evmVersion: 'paris' });
    await anchorOnce(client, address, 'paris build');
  });

  it('every build works on a current EVM; the older targets cost a little more gas', async () => {
    const client = await chain('cancun');
    const gas: Record<string, { deploy: bigint; anchor: bigint }> = {};
    for (const evmVersion of LEDGER_EVM_VERSIONS as LedgerEvmVersion[]) {
      const d = await deployLedger(client, owner, { evmVersion });
      const receipt = await client.getTransactionReceipt({ hash: d.transactionHash });
      gas[evmVersion] = { deploy: receipt.gasUsed, anchor: await anchorOnce(client, d.address, evmVersion) };
    }
    // PUSH0 (shanghai) replaces PUSH1 0x00: one byte and one gas fewer per zero pushed.
    expect(gas.petersburg!.deploy).toBeGreaterThan(gas.cancun!.deploy);
    expect(gas.petersburg!.anchor).toBeGreaterThanOrEqual(gas.cancun!.anchor);
    console.log(
      Object.entries(gas)
        .map(([v, g]) => `${v}: deploy ${g.deploy} gas, anchor ${g.anchor} gas`)
        .join('\n'),
    );
  });
});

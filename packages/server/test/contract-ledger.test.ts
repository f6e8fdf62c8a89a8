// contracts/ContractLedger.sol on a real anvil: anchoring, recorder and owner rules, revocation, and
// verification of OpenZeppelin StandardMerkleTree proofs from just (root, eventHash, proof).

import { contractLedgerAbi } from '@cms/sdk/evm';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import {
  type Address,
  type BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  type PublicClient,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilProcess, spawnAnvil } from '../src/ledger/anvil/spawn-anvil.js';
import { deployLedger } from '../src/ledger/chain/deploy-ledger.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../src/ledger/chain/dev-accounts.js';

let anvil: AnvilProcess;
let client: PublicClient;
let ledger: Address;
const owner = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
const stranger = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[1]);

beforeAll(async () => {
  anvil = await spawnAnvil();
  client = createPublicClient({ transport: http(anvil.url) });
  ledger = (await deployLedger(client, owner)).address;
});
afterAll(() => anvil?.stop());

const wallet = (account = owner) =>
  createWalletClient({
    account,
    transport: http(anvil.url),
    chain: {
      id: 31337,
      name: 'anvil',
      nativeCurrency: { name: 'ETH', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [anvil.url] } },
    },
  });
const hashes = Array.from({ length: 5 }, (_, i) => keccak256(toHex(`event ${i}`)));
const tree = StandardMerkleTree.of(
  hashes.map((h) => [h]),
  ['bytes32'],
);
const root = tree.root as `0x${string}`;

async function send(
  functionName: 'anchor' | 'revoke' | 'setRecorder' | 'transferOwnership',
  args: readonly unknown[],
  account = owner,
) {
  const hash = await wallet(account).writeContract({
    address: ledger,
    abi: contractLedgerAbi,
    functionName,
    args,
  } as never);
  return client.waitForTransactionReceipt({ hash });
}
async function revertName(
  functionName: 'anchor' | 'revoke' | 'setRecorder' | 'transferOwnership',
  args: readonly unknown[],
  account = owner,
) {
  try {
    await client.simulateContract({ address: ledger, abi: contractLedgerAbi, functionName, args, account } as never);
    return undefined;
  } catch (error) {
    const revert = (error as BaseError).walk(
      (e) => e instanceof ContractFunctionRevertedError,
    ) as ContractFunctionRevertedError | null;
    return revert?.data?.errorName;
  }
}
const read = <F extends 'verify' | 'verifyEvent' | 'leafOf' | 'anchors' | 'VERSION' | 'owner' | 'recorders'>(
  functionName: F,
  args: readonly unknown[] = [],
) =>
  // biome-ignore lint/suspicious/noExplicitAny: each view function returns a different tuple; the assertions name the fields
  client.readContract({ address: ledger, abi: contractLedgerAbi, functionName, args } as never) as Promise<any>;

describe('ContractLedger', () => {
  it('has a version and an owner who is also the first recorder', async () => {
    expect(await read('VERSION')).toBe('1.0.0');
    expect(await read('owner')).toBe(owner.address);
    expect(await read('recorders', [owner.address])).toBe(true);
  });

  it('computes the same leaf as StandardMerkleTree', async () => {
    for (const h of hashes) expect(await read('leafOf', [h])).toBe(tree.leafHash([h]));
  });

  it('anchors a root once, records block time and leaf count, and emits Anchored', async () => {
    expect(await read('verifyEvent', [root, hashes[0], tree.getProof(0)])).toBe(false); // not anchored yet
    const receipt = await send('anchor', [root, 5]);
    expect(receipt.status).toBe('success');
    const block = await client.getBlock({ blockNumber: receipt.blockNumber });
    expect(await read('anchors', [root])).toEqual([block.timestamp, 5, false]);
    const [log] = await client.getContractEvents({
      address: ledger,
      abi: contractLedgerAbi,
      eventName: 'Anchored',
      args: { root },
      fromBlock: receipt.blockNumber,
    });
    expect(log!.args).toEqual({ root, leafCount: 5, recorder: owner.address, anchoredAt: block.timestamp });
    expect(await revertName('anchor', [root, 5])).toBe('AlreadyAnchored');
    expect(await revertName('anchor', [keccak256('0x01'), 0])).toBe('EmptyBatch');
  });

  it('verifies every event of an anchored tree from (root, eventHash, proof), and nothing else', async () => {
    for (const [i, [h]] of tree.entries()) {
      expect(await read('verifyEvent', [root, h, tree.getProof(i)])).toBe(true);
      expect(await read('verify', [root, tree.leafHash([h!]), tree.getProof(i)])).toBe(true);
    }
    expect(await read('verifyEvent', [root, keccak256('0xdead'), tree.getProof(0)])).toBe(false);
    expect(await read('verifyEvent', [root, hashes[0], tree.getProof(1)])).toBe(false);
    expect(await read('verifyEvent', [keccak256('0xbeef'), hashes[0], tree.getProof(0)])).toBe(false);
  });

  it('lets only recorders anchor, and only the owner manage recorders', async () => {
    const other = keccak256(toHex('other root'));
    expect(await revertName('anchor', [other, 1], stranger)).toBe('NotRecorder');
    expect(await revertName('setRecorder', [stranger.address, true], stranger)).toBe('NotOwner');
    await send('setRecorder', [stranger.address, true]);
    expect((await send('anchor', [other, 1], stranger)).status).toBe('success');
    await send('setRecorder', [stranger.address, false]);
    expect(await revertName('anchor', [keccak256(toHex('third')), 1], stranger)).toBe('NotRecorder');
    expect(await revertName('setRecorder', ['0x0000000000000000000000000000000000000000', true])).toBe('ZeroAddress');
  });

  it('revokes a root (owner only): it stays visible but no longer verifies', async () => {
    const other = StandardMerkleTree.of([[keccak256(toHex('revoked'))]], ['bytes32']);
    await send('anchor', [other.root, 1]);
    expect(await read('verifyEvent', [other.root, keccak256(toHex('revoked')), []])).toBe(true);
    expect(await revertName('revoke', [other.root], stranger)).toBe('NotOwner');
    expect(await revertName('revoke', [keccak256(toHex('never anchored'))])).toBe('UnknownRoot');
    await send('revoke', [other.root]);
    expect((await read('anchors', [other.root]))[2]).toBe(true);
    expect(await read('verifyEvent', [other.root, keccak256(toHex('revoked')), []])).toBe(false);
  });

  it('transfers ownership', async () => {
    expect(await revertName('transferOwnership', [stranger.address], stranger)).toBe('NotOwner');
    await send('transferOwnership', [stranger.address]);
    expect(await read('owner')).toBe(stranger.address);
    expect(await revertName('revoke', [root])).toBe('NotOwner');
  });
});

// `cms-server ledger deploy | authorize-recorder`: puts ContractLedger on an external chain and lets each
// instance's recorder key anchor on it. The owner key comes from CMS_LEDGER_OWNER_PRIVATE_KEY only (never
// from the command line, where `ps` would show it).
import { parseArgs } from 'node:util';
import { contractLedgerAbi } from '@cms/sdk/evm';
import { type Address, formatEther, isAddress, type PublicClient, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { LedgerAdminConfig } from '../config.js';
import { startEnclaveService } from '../enclave/client/enclave-service.js';
import { createChainClients } from '../ledger/chain/chain-clients.js';
import {
  deployLedger,
  fundAccount,
  LEDGER_EVM_VERSIONS,
  type LedgerEvmVersion,
  setRecorder,
} from '../ledger/chain/deploy-ledger.js';
import { createLogger } from '../observability/logger.js';

export async function ledgerCommand(
  config: LedgerAdminConfig,
  args: string[],
  out: (line: string) => void,
): Promise<void> {
  const [sub, ...rest] = args;
  const client = await connect(config);
  const owner = privateKeyToAccount(config.ownerPrivateKey());
  if (sub === 'deploy') {
    const { values } = parseArgs({
      args: rest,
      options: { 'evm-version': { type: 'string', default: 'petersburg' } },
      strict: true,
    });
    const evmVersion = values['evm-version'] as LedgerEvmVersion;
    if (!LEDGER_EVM_VERSIONS.includes(evmVersion))
      throw new Error(`--evm-version must be one of ${LEDGER_EVM_VERSIONS.join(', ')}`);
    const deployed = await deployLedger(client, owner, { evmVersion });
    out(
      `ContractLedger deployed by ${owner.address} in transaction ${deployed.transactionHash} (block ${deployed.blockNumber})`,
    );
    out(`CMS_LEDGER_ADDRESS=${deployed.address}`);
  } else if (sub === 'authorize-recorder') {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { fund: { type: 'string' }, revoke: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    if (!config.ledgerAddress)
      throw new Error('CMS_LEDGER_ADDRESS: required (the address `cms-server ledger deploy` printed)');
    const recorder = positionals[0] ?? (await ownRecorderAddress(config));
    if (!isAddress(recorder)) throw new Error(`not an address: ${recorder}`);
    await setRecorder(client, owner, config.ledgerAddress, recorder, !values.revoke);
    out(`${recorder} ${values.revoke ? 'may no longer' : 'may now'} anchor on ${config.ledgerAddress}`);
    if (values.fund !== undefined) {
      const wei = parseEther(values.fund);
      await fundAccount(client, owner, recorder, wei);
      out(`sent ${values.fund} to ${recorder}; balance ${formatEther(await client.getBalance({ address: recorder }))}`);
    }
  } else {
    throw new Error(
      'usage: cms-server ledger deploy [--evm-version petersburg|paris|cancun] | ledger authorize-recorder [address] [--fund <ether>] [--revoke]',
    );
  }
}

async function connect(config: LedgerAdminConfig): Promise<PublicClient> {
  const { publicClient } = createChainClients({ rpcUrls: config.rpcUrls });
  const chainId = await publicClient.getChainId();
  if (config.chainId !== undefined && chainId !== config.chainId) {
    throw new Error(`the node reports chain id ${chainId}, CMS_CHAIN_ID says ${config.chainId}`);
  }
  return publicClient;
}

/** This instance's recorder: the enclave's key, or CMS_RECORDER_PRIVATE_KEY without an enclave. */
export async function ownRecorderAddress(
  config: Pick<LedgerAdminConfig, 'enclave' | 'recorderPrivateKey'>,
): Promise<Address> {
  if (config.enclave.mode === 'disabled') {
    if (!config.recorderPrivateKey)
      throw new Error('no recorder: pass its address, or set CMS_RECORDER_PRIVATE_KEY (CMS_ENCLAVE=disabled)');
    return privateKeyToAccount(config.recorderPrivateKey()).address;
  }
  const enclave = await startEnclaveService(config.enclave, { logger: createLogger({ level: 'silent' }) });
  try {
    return (await enclave.call('recorderAddress', {})).address;
  } finally {
    await enclave.close();
  }
}

/** Whether `recorder` may anchor on `ledger`. */
export async function isRecorder(client: PublicClient, ledger: Address, recorder: Address): Promise<boolean> {
  return client.readContract({ address: ledger, abi: contractLedgerAbi, functionName: 'recorders', args: [recorder] });
}

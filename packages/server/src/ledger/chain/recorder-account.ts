// Which key signs `anchor()`: the enclave's recorder key whenever there is an enclave (it never leaves
// it), else the key in CMS_RECORDER_PRIVATE_KEY, else (embedded chain only) anvil's first dev account.
// The embedded chain's owner authorizes and funds an enclave recorder itself; on an external chain the
// ledger's owner does it once (`setRecorder`, docs/ledger.md).

import { contractLedgerAbi } from '@cms/sdk/evm';
import { type Address, type PublicClient, toHex } from 'viem';
import { type LocalAccount, privateKeyToAccount } from 'viem/accounts';
import type { ChainConfig } from '../../config.js';
import { enclaveRecorderAccount } from '../../enclave/client/enclave-recorder-account.js';
import type { Enclave } from '../../enclave/client/enclave-service.js';
import { setRecorder } from './deploy-ledger.js';
import { ANVIL_DEV_PRIVATE_KEYS } from './dev-accounts.js';

export async function recorderAccount(
  chain: Exclude<ChainConfig, { mode: 'disabled' }>,
  enclave: Enclave | undefined,
): Promise<LocalAccount> {
  const configured = chain.mode === 'external' ? chain.recorderPrivateKey?.() : undefined;
  if (configured) return privateKeyToAccount(configured);
  if (enclave && enclave.mode !== 'disabled') return enclaveRecorderAccount(enclave);
  if (chain.mode === 'embedded') return privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
  throw new Error(
    'CMS_CHAIN=external needs a recorder key: the enclave’s (CMS_ENCLAVE=embedded|external) or CMS_RECORDER_PRIVATE_KEY',
  );
}

/** Embedded chain: makes `recorder` an authorized, funded recorder of the ledger `owner` deployed. */
export async function authorizeEmbeddedRecorder(
  client: PublicClient,
  owner: LocalAccount,
  ledger: Address,
  recorder: LocalAccount,
): Promise<void> {
  if (recorder.address === owner.address) return;
  const allowed = await client.readContract({
    address: ledger,
    abi: contractLedgerAbi,
    functionName: 'recorders',
    args: [recorder.address],
  });
  if (!allowed) await setRecorder(client, owner, ledger, recorder.address);
  // anvil's own RPC: the embedded chain's ether is worthless, so the recorder gets plenty once.
  if ((await client.getBalance({ address: recorder.address })) < 10n ** 18n) {
    await client.request({
      method: 'anvil_setBalance' as never,
      params: [recorder.address, toHex(10n ** 22n)] as never,
    });
  }
}

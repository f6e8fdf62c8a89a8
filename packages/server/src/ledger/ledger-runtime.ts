// Starts the ledger of a server from its chain configuration: the embedded chain (anvil child process,
// ledger deployed on first start) or external RPC nodes, and the anchoring worker.
import { join } from 'node:path';
import { type Address, getAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { ChainConfig, LedgerConfig } from '../config.js';
import type { Database } from '../db/database.js';
import type { Enclave } from '../enclave/client/enclave-service.js';
import { fallbackLogger, type Logger } from '../observability/logger.js';
import { type EmbeddedChain, startEmbeddedChain } from './anvil/embedded-chain.js';
import { createChainClients } from './chain/chain-clients.js';
import { ANVIL_DEV_PRIVATE_KEYS } from './chain/dev-accounts.js';
import { ensureLedgerDeployment } from './chain/ensure-deployment.js';
import type { LedgerChain } from './chain/ledger-chain.js';
import { createNonceManager } from './chain/nonce-manager.js';
import { authorizeEmbeddedRecorder, recorderAccount } from './chain/recorder-account.js';
import { type AnchoringWorker, type ChainState, startAnchoringWorker } from './worker/anchoring-worker.js';

export interface LedgerInfo {
  mode: 'embedded' | 'external' | 'disabled';
  chainId: number | null;
  ledgerAddress: Address | null;
  /** The embedded chain's JSON-RPC URL; null for external chains (their URLs may carry credentials). */
  rpcUrl: string | null;
}

export interface Ledger {
  info(): LedgerInfo;
  /** Whether confirmed anchors are still on the chain, as the last check found (see check-chain-state.ts). */
  chainState(): ChainState;
  /** undefined when the chain is disabled. */
  chain: LedgerChain | undefined;
  worker: AnchoringWorker | undefined;
  /** The embedded chain process, when there is one. */
  embedded: EmbeddedChain | undefined;
  stop(): Promise<void>;
}

export interface StartLedgerOptions {
  chain: ChainConfig;
  ledger: LedgerConfig;
  /** `<dataDir>/chain` keeps the embedded chain's state; undefined keeps it in memory. */
  dataDir: string | undefined;
  /** Holds the recorder key when there is one (see recorder-account.ts). */
  enclave?: Enclave;
  /** Confirmed batches found lost from the chain by a check (metrics). */
  onAnchorsLost?: (batches: number) => void;
  /** Wakes the idle anchoring worker when events were written (the event bus); without it the worker polls. */
  wakeOn?: (wake: () => void) => () => void;
  /** The idle worker's safety poll when it has `wakeOn`. @default 2000 */
  idlePollMs?: number;
  /** The server's logger (the ledger logs under `component: ledger`). @default warnings and errors as JSON on stdout */
  logger?: Logger;
}

export async function startLedger(database: Database, o: StartLedgerOptions): Promise<Ledger> {
  const logger = (o.logger ?? fallbackLogger()).child({ component: 'ledger' });
  if (o.chain.mode === 'disabled') {
    logger.info('chain disabled (CMS_CHAIN=disabled): audit events are not anchored');
    return {
      info: () => ({ mode: 'disabled', chainId: null, ledgerAddress: null, rpcUrl: null }),
      chainState: () => ({ state: 'unchecked', detail: null, checkedAt: null, lostBatches: 0 }),
      chain: undefined,
      worker: undefined,
      embedded: undefined,
      stop: async () => {},
    };
  }
  let worker: AnchoringWorker | undefined;
  let embedded: EmbeddedChain | undefined;
  let chainId: number | null = null;
  try {
    let rpcUrls: string[];
    let ledgerAddress: Address;
    let expectedChainId: number | undefined;
    if (o.chain.mode === 'embedded') {
      const startedAt = Date.now();
      logger.info({ dir: o.dataDir && join(o.dataDir, 'chain') }, 'starting the embedded chain');
      embedded = await startEmbeddedChain({
        dir: o.dataDir && join(o.dataDir, 'chain'),
        onRestart: () => worker?.chainRestarted(),
        logger,
      });
      rpcUrls = [embedded.url];
      const { publicClient, account: owner } = createChainClients({ rpcUrls, privateKey: ANVIL_DEV_PRIVATE_KEYS[0] });
      ledgerAddress = getAddress(await ensureLedgerDeployment(database.db, publicClient, owner));
      chainId = await publicClient.getChainId();
      logger.info(
        { rpcUrl: embedded.url, chainId, ledgerAddress, ms: Date.now() - startedAt },
        'embedded chain and ledger contract ready',
      );
    } else {
      rpcUrls = o.chain.rpcUrls;
      ledgerAddress = getAddress(o.chain.ledgerAddress);
      expectedChainId = o.chain.chainId;
      chainId = expectedChainId ?? null;
      // Node URLs are not logged: they may carry credentials.
      logger.info({ nodes: rpcUrls.length, chainId, ledgerAddress }, 'anchoring on external chain nodes');
    }
    const { publicClient } = createChainClients({ rpcUrls });
    const account = await recorderAccount(o.chain, o.enclave);
    const owner = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
    if (o.chain.mode === 'embedded') await authorizeEmbeddedRecorder(publicClient, owner, ledgerAddress, account);
    const chain: LedgerChain = {
      mode: o.chain.mode,
      client: publicClient,
      account,
      nonces: createNonceManager(publicClient, account.address),
      ledgerAddress,
      confirmations: o.chain.confirmations,
      async chainId() {
        if (chainId !== null && (o.chain.mode === 'embedded' || actualChecked)) return chainId;
        const actual = await publicClient.getChainId();
        if (expectedChainId !== undefined && actual !== expectedChainId)
          throw new Error(`the chain's id is ${actual}, not CMS_CHAIN_ID=${expectedChainId}`);
        actualChecked = true;
        return (chainId = actual);
      },
    };
    let actualChecked = false;
    if (o.chain.mode === 'embedded') {
      // The chain is ours and holds nothing of value: when it lost the ledger, deploy it again and
      // authorize the enclave's recorder on the new one.
      chain.redeploy = async () => {
        const address = getAddress(await ensureLedgerDeployment(database.db, publicClient, owner));
        await authorizeEmbeddedRecorder(publicClient, owner, address, account);
        return address;
      };
    }
    worker = startAnchoringWorker(database.db, chain, {
      batchSize: o.ledger.batchSize,
      batchMaxWaitMs: o.ledger.batchMaxWaitMs,
      checkIntervalMs: o.ledger.checkIntervalMs,
      onAnchorsLost: o.onAnchorsLost,
      wakeOn: o.wakeOn,
      idlePollMs: o.idlePollMs,
      logger,
    });
    const w = worker;
    const e = embedded;
    return {
      info: () => ({ mode: chain.mode, chainId, ledgerAddress: chain.ledgerAddress, rpcUrl: e?.url ?? null }),
      chainState: () => w.chainState(),
      chain,
      worker: w,
      embedded: e,
      async stop() {
        await w.stop();
        await e?.stop();
      },
    };
  } catch (error) {
    await worker?.stop();
    await embedded?.stop();
    throw error;
  }
}

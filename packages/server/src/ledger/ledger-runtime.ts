// Starts the ledger of a server from its chain configuration: the embedded chain (anvil child process,
// ledger deployed on first start) or external RPC nodes, and the anchoring worker.
import { join } from 'node:path';
import { getAddress, type Address } from 'viem';
import type { ChainConfig, LedgerConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { startEmbeddedChain, type EmbeddedChain } from './anvil/embedded-chain.js';
import { createChainClients } from './chain/chain-clients.js';
import { ANVIL_DEV_PRIVATE_KEYS } from './chain/dev-accounts.js';
import { ensureLedgerDeployment } from './chain/ensure-deployment.js';
import type { LedgerChain } from './chain/ledger-chain.js';
import { createNonceManager } from './chain/nonce-manager.js';
import { startAnchoringWorker, type AnchoringWorker } from './worker/anchoring-worker.js';

export interface LedgerInfo {
  mode: 'embedded' | 'external' | 'disabled';
  chainId: number | null;
  ledgerAddress: Address | null;
}

export interface Ledger {
  info(): LedgerInfo;
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
  log?: (entry: Record<string, unknown>) => void;
}

export async function startLedger(database: Database, o: StartLedgerOptions): Promise<Ledger> {
  const log = o.log ?? ((e) => console.error(JSON.stringify(e)));
  if (o.chain.mode === 'disabled') {
    return { info: () => ({ mode: 'disabled', chainId: null, ledgerAddress: null }), chain: undefined, worker: undefined, embedded: undefined, stop: async () => {} };
  }
  let worker: AnchoringWorker | undefined;
  let embedded: EmbeddedChain | undefined;
  let chainId: number | null = null;
  try {
    let rpcUrls: string[];
    let privateKey: `0x${string}`;
    let ledgerAddress: Address;
    let expectedChainId: number | undefined;
    if (o.chain.mode === 'embedded') {
      embedded = await startEmbeddedChain({
        dir: o.dataDir && join(o.dataDir, 'chain'),
        onRestart: () => worker?.chainRestarted(),
        log,
      });
      rpcUrls = [embedded.url];
      privateKey = ANVIL_DEV_PRIVATE_KEYS[0];
      const { publicClient, account } = createChainClients({ rpcUrls, privateKey });
      ledgerAddress = getAddress(await ensureLedgerDeployment(database.db, publicClient, account));
      chainId = await publicClient.getChainId();
    } else {
      rpcUrls = o.chain.rpcUrls;
      privateKey = o.chain.recorderPrivateKey();
      ledgerAddress = getAddress(o.chain.ledgerAddress);
      expectedChainId = o.chain.chainId;
      chainId = expectedChainId ?? null;
    }
    const { publicClient, account } = createChainClients({ rpcUrls, privateKey });
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
        if (expectedChainId !== undefined && actual !== expectedChainId) throw new Error(`the chain's id is ${actual}, not CMS_CHAIN_ID=${expectedChainId}`);
        actualChecked = true;
        return (chainId = actual);
      },
    };
    let actualChecked = false;
    if (o.chain.mode === 'embedded') {
      chain.recover = async () => {
        const address = await ensureLedgerDeployment(database.db, publicClient, account);
        if (getAddress(address) !== ledgerAddress) throw new Error(`the embedded chain lost the ledger at ${ledgerAddress}; redeployed at ${address}`);
      };
    }
    worker = startAnchoringWorker(database.db, chain, { batchSize: o.ledger.batchSize, batchMaxWaitMs: o.ledger.batchMaxWaitMs, log });
    const w = worker;
    const e = embedded;
    return {
      info: () => ({ mode: chain.mode, chainId, ledgerAddress }),
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

// The anchoring loop of one server instance: follow batches in flight, claim new ones, send them. While
// the chain is unreachable it backs off and retries; writes keep landing in the outbox meanwhile.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../../db/database.js';
import type { LedgerChain } from '../chain/ledger-chain.js';
import { claimBatch } from './claim-batch.js';
import { confirmBatch } from './confirm-batch.js';
import { leaseBatches } from './lease-batches.js';
import { reconcileBatches } from './reconcile-batches.js';
import { submitBatch } from './submit-batch.js';

export interface AnchoringWorkerOptions {
  batchSize: number;
  batchMaxWaitMs: number;
  /** Idle poll interval. @default min(250, batchMaxWaitMs) */
  pollIntervalMs?: number;
  /** New batches sent per round, at most. @default 8 */
  batchesPerRound?: number;
  /** Cap of the backoff while the chain is unreachable. @default 10000 */
  maxBackoffMs?: number;
  log?: (entry: Record<string, unknown>) => void;
}

export interface AnchoringWorker {
  readonly id: string;
  /** Claim whatever is waiting now instead of waiting for a batch to fill (someone waits for an anchor). */
  flush(): void;
  /** The chain process restarted: re-check recent anchors on the next round. */
  chainRestarted(): void;
  /** Last chain error while the chain is unreachable; null when the last round succeeded. */
  lastError(): string | null;
  stop(): Promise<void>;
}

const LEASE_MS = 30_000;

export function startAnchoringWorker(db: Db, chain: LedgerChain, o: AnchoringWorkerOptions): AnchoringWorker {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const log = o.log ?? ((e) => console.error(JSON.stringify(e)));
  const poll = o.pollIntervalMs ?? Math.max(10, Math.min(250, o.batchMaxWaitMs));
  let stopped = false;
  let flushRequested = false;
  // On start too: a chain that lost state since the last run (a fresh embedded chain) is caught up.
  let reconcileNeeded = true;
  let lastHead = -1n;
  let error: string | null = null;
  let backoff = 0;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      wake = undefined;
      resolve();
    }
    wake = done;
  });

  async function round(): Promise<boolean> {
    const chainId = await chain.chainId();
    const head = await chain.client.getBlockNumber({ cacheTime: 0 });
    if (head < lastHead || reconcileNeeded || error !== null) {
      await chain.recover?.();
      const resent = await reconcileBatches(db, chain);
      if (resent) log({ level: 'warn', msg: 'anchors missing on chain; batches will be anchored again', batches: resent });
      reconcileNeeded = false;
    }
    lastHead = head;
    let worked = false;
    for (const batch of await leaseBatches(db, { workerId: id, ledgerAddress: chain.ledgerAddress, limit: 16, leaseMs: LEASE_MS })) {
      if (batch.status === 'pending') await submitBatch(db, chain, id, batch);
      else await confirmBatch(db, chain, id, batch);
      worked = true;
    }
    const force = flushRequested;
    flushRequested = false;
    for (let i = 0; i < (o.batchesPerRound ?? 8); i++) {
      const batch = await claimBatch(db, { batchSize: o.batchSize, maxWaitMs: o.batchMaxWaitMs, force, chainId, ledgerAddress: chain.ledgerAddress, workerId: id, leaseMs: LEASE_MS });
      if (!batch) break;
      await submitBatch(db, chain, id, batch);
      worked = true;
    }
    return worked;
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        const worked = await round();
        if (error !== null) log({ level: 'info', msg: 'ledger chain reachable again' });
        error = null;
        backoff = 0;
        if (!worked && !flushRequested) await sleep(poll);
      } catch (e) {
        if (stopped) break;
        const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
        if (error === null) log({ level: 'warn', msg: 'ledger anchoring failed; retrying with backoff', error: message });
        error = message;
        backoff = Math.min(backoff ? backoff * 2 : 100, o.maxBackoffMs ?? 10_000);
        await sleep(backoff * (0.5 + Math.random() / 2));
      }
    }
  })();

  return {
    id,
    flush() {
      flushRequested = true;
      if (error === null) wake?.();
    },
    chainRestarted() {
      reconcileNeeded = true;
      chain.nonces.reset();
      wake?.();
    },
    lastError: () => error,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

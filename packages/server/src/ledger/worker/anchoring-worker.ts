// The anchoring loop of one server instance: follow batches in flight, claim new ones, send them. While
// the chain is unreachable it backs off and retries; writes keep landing in the outbox meanwhile. With
// work in flight it polls every `pollIntervalMs`; idle, it sleeps until the event bus announces new
// events (or a slow safety poll), instead of querying the ledger tables four times a second.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { backoffDelayMs } from '../../backoff-delay.js';
import type { Db } from '../../db/database.js';
import { fallbackLogger, type Logger } from '../../observability/logger.js';
import type { LedgerChain } from '../chain/ledger-chain.js';
import { type ChainStateName, checkChainState, countLostBatches } from './check-chain-state.js';
import { claimBatch } from './claim-batch.js';
import { confirmBatch } from './confirm-batch.js';
import { leaseBatches } from './lease-batches.js';
import { submitBatch } from './submit-batch.js';

export interface AnchoringWorkerOptions {
  batchSize: number;
  batchMaxWaitMs: number;
  /** Poll interval while there is work (batches in flight, events waiting for a batch). @default min(250, batchMaxWaitMs) */
  pollIntervalMs?: number;
  /**
   * Wakes the worker when new events may wait (the event bus: every instance's commits). With it, an
   * idle worker (nothing in flight, nothing waiting) sleeps `idlePollMs` instead of `pollIntervalMs`.
   */
  wakeOn?: (wake: () => void) => () => void;
  /** The safety poll of an idle worker that has `wakeOn` (events no notice announced). @default 2000 */
  idlePollMs?: number;
  /** New batches sent per round, at most. @default 8 */
  batchesPerRound?: number;
  /** Cap of the backoff while the chain is unreachable. @default 10000 */
  maxBackoffMs?: number;
  /** How often confirmed anchors are checked to be still on the chain (also at start, after restarts and outages). @default 60000 */
  checkIntervalMs?: number;
  /** A check found confirmed batches whose anchors vanished (they are anchored again). */
  onAnchorsLost?: (batches: number) => void;
  /** Where chain outages (and recoveries) are reported. @default warnings and errors as JSON on stdout */
  logger?: Logger;
}

/** What the last chain-state check found (see check-chain-state.ts); `unchecked` before the first one. */
export interface ChainState {
  state: ChainStateName | 'unchecked';
  detail: string | null;
  checkedAt: Date | null;
  /** Batches whose anchor vanished and that are not confirmed again yet. */
  lostBatches: number;
}

export interface AnchoringWorker {
  readonly id: string;
  /** Claim whatever is waiting now instead of waiting for a batch to fill (someone waits for an anchor). */
  flush(): void;
  /** The chain process restarted: re-check recent anchors on the next round. */
  chainRestarted(): void;
  /** Last chain error while the chain is unreachable; null when the last round succeeded. */
  lastError(): string | null;
  chainState(): ChainState;
  stop(): Promise<void>;
}

const LEASE_MS = 30_000;
/** While the ledger contract is missing, how often it is looked for again. */
const MISSING_RECHECK_MS = 2_000;

export function startAnchoringWorker(db: Db, chain: LedgerChain, o: AnchoringWorkerOptions): AnchoringWorker {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const logger = o.logger ?? fallbackLogger();
  const poll = o.pollIntervalMs ?? Math.max(10, Math.min(250, o.batchMaxWaitMs));
  let stopped = false;
  let flushRequested = false;
  // On start too: a chain that lost state since the last run (a fresh embedded chain) is caught up.
  let checkNeeded = true;
  let nextCheckAt = 0;
  let firstCheck = true;
  let lastHead = -1n;
  let state: ChainState = { state: 'unchecked', detail: null, checkedAt: null, lostBatches: 0 };
  const checkEveryMs = o.checkIntervalMs ?? 60_000;
  let error: string | null = null;
  let failures = 0;
  let wake: (() => void) | undefined;
  // Whether the last round saw work that needs another look soon (in flight, or waiting to be due).
  let busy = true;
  let nudged = false;
  const unsubscribe = o.wakeOn?.(() => {
    nudged = true;
    wake?.();
  });
  const idlePoll = o.idlePollMs ?? 2000;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      // stop() during a round finds no sleep to wake: the round's own sleep must then not start.
      if (stopped) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function round(): Promise<boolean> {
    busy = false;
    nudged = false;
    const chainId = await chain.chainId();
    const head = await chain.client.getBlockNumber({ cacheTime: 0 });
    if (head < lastHead || checkNeeded || error !== null || Date.now() >= nextCheckAt) {
      // At start the last 500 anchors are looked at, later the last 200 (a deep re-org, a rollback); every
      // one when the ledger reappears after it was missing (a redeployment at the same address is empty).
      const check = await checkChainState(db, chain, {
        recent: state.state === 'ledger_missing' ? Number.MAX_SAFE_INTEGER : firstCheck ? 500 : 200,
      });
      if (check.lost) {
        o.onAnchorsLost?.(check.lost);
        logger.warn(
          { batches: check.lost, detail: check.detail },
          'anchors missing on chain; batches will be anchored again',
        );
      }
      if (check.state === 'ledger_missing' && state.state !== 'ledger_missing')
        logger.error(
          { detail: check.detail },
          'ledger contract missing on chain; anchoring stopped until an operator acts',
        );
      if (check.state !== 'ledger_missing' && state.state === 'ledger_missing')
        logger.info('ledger contract found again; anchoring resumes');
      state = { state: check.state, detail: check.detail, checkedAt: new Date(), lostBatches: check.lostBatches };
      checkNeeded = false;
      firstCheck = false;
      nextCheckAt =
        Date.now() + (check.state === 'ledger_missing' ? Math.min(MISSING_RECHECK_MS, checkEveryMs) : checkEveryMs);
    }
    lastHead = head;
    // Refused: a transaction to an address without code would "succeed" and anchor nothing.
    if (state.state === 'ledger_missing') return false;
    if (state.lostBatches > 0) {
      const lostBatches = await countLostBatches(db);
      state = { ...state, lostBatches, state: lostBatches > 0 ? 'reanchoring' : 'ok' };
    }
    let worked = false;
    for (const batch of await leaseBatches(db, {
      workerId: id,
      ledgerAddress: chain.ledgerAddress,
      limit: 16,
      leaseMs: LEASE_MS,
    })) {
      if (batch.status === 'pending') await submitBatch(db, chain, id, batch, { leftOver: true });
      else await confirmBatch(db, chain, id, batch);
      worked = true;
      busy = true;
    }
    const force = flushRequested;
    flushRequested = false;
    for (let i = 0; i < (o.batchesPerRound ?? 8); i++) {
      const batch = await claimBatch(db, {
        batchSize: o.batchSize,
        maxWaitMs: o.batchMaxWaitMs,
        force,
        chainId,
        ledgerAddress: chain.ledgerAddress,
        workerId: id,
        leaseMs: LEASE_MS,
        onNotDue: () => (busy = true),
      });
      if (!batch) break;
      await submitBatch(db, chain, id, batch);
      worked = true;
      busy = true;
    }
    return worked;
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        const worked = await round();
        if (error !== null) logger.info('ledger chain reachable again');
        error = null;
        failures = 0;
        // Idle with a bus: a notice wakes the worker (one that came during the round counts too).
        if (!worked && !flushRequested && !nudged) await sleep(busy || !unsubscribe ? poll : idlePoll);
      } catch (e) {
        if (stopped) break;
        const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
        if (error === null) logger.warn({ error: message }, 'ledger anchoring failed; retrying with backoff');
        error = message;
        await sleep(backoffDelayMs(++failures, { initialMs: 100, maxMs: o.maxBackoffMs ?? 10_000, jitter: 'equal' }));
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
      checkNeeded = true;
      chain.nonces.reset();
      wake?.();
    },
    lastError: () => error,
    chainState: () => state,
    async stop() {
      stopped = true;
      unsubscribe?.();
      wake?.();
      await loop;
    },
  };
}

// Lets a request wait, bounded, until its event is anchored: asks the worker to batch now instead of
// waiting for a batch to fill, then polls the event's ledger record.
import type { Services } from '../services.js';
import { type EventLedgerRecord, ledgerProofsForEvents } from './ledger-records.js';

export interface WaitForAnchorOptions {
  /** Give up after this long and return the record as it is. */
  timeoutMs: number;
  /** `submitted` returns as soon as the transaction hash is known. @default 'confirmed' */
  until?: 'submitted' | 'confirmed';
  /** @default 50 */
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Resolves with the event's ledger record once it reaches `until` (or `failed`), or when `timeoutMs`
 * elapses; `undefined` when the event is not queued for anchoring. Never throws on a timeout.
 * @example const record = await waitForAnchor(services, event.id, { timeoutMs: 10_000 });
 */
export async function waitForAnchor(
  services: Pick<Services, 'database' | 'ledger'>,
  auditEventId: string,
  o: WaitForAnchorOptions,
): Promise<EventLedgerRecord | undefined> {
  const deadline = Date.now() + o.timeoutMs;
  const until = o.until ?? 'confirmed';
  for (;;) {
    const record = (await ledgerProofsForEvents(services.database.db, [auditEventId])).get(auditEventId);
    if (
      !record ||
      record.status === 'failed' ||
      record.status === 'confirmed' ||
      (until === 'submitted' && record.status === 'submitted')
    )
      return record;
    if (!services.ledger.worker || Date.now() >= deadline || o.signal?.aborted) return record;
    if (record.status === 'pending') services.ledger.worker.flush();
    await new Promise((r) => setTimeout(r, Math.min(o.pollMs ?? 50, Math.max(0, deadline - Date.now()))));
  }
}

// The expiry scheduler: executed contracts whose `expiresAt` has passed become `expired`. Safe with
// many server instances: candidates are claimed with SKIP LOCKED and each change re-checks its status.
import { and, eq, isNotNull, lte } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { contracts } from '../db/schema/index.js';
import { isAllowed } from './lifecycle.js';
import { mutateContract } from './mutate-contract.js';

/** The actor recorded for changes the server makes on its own. */
export const SYSTEM_ACTOR: Principal = { userId: 'system', did: 'system', organizationId: 'system', roles: [] };

/** Expires every due contract (up to `batch`); returns how many it expired. */
export async function expireDueContracts(db: Db, now = new Date(), batch = 100): Promise<number> {
  const due = await db
    .select({ id: contracts.id })
    .from(contracts)
    .where(and(eq(contracts.status, 'executed'), isNotNull(contracts.expiresAt), lte(contracts.expiresAt, now)))
    .limit(batch);
  let expired = 0;
  for (const { id } of due) {
    await mutateContract(db, SYSTEM_ACTOR, id, { audience: 'organization', system: true }, async ({ contract }) => {
      // Another instance (or a termination) may have got there first: then this is a no-op error.
      if (!isAllowed(contract.status, 'expire')) throw new AlreadyHandled();
      return { action: 'expire', toStatus: 'expired' };
    }).then(
      () => expired++,
      (e) => {
        if (!(e instanceof AlreadyHandled)) throw e;
      },
    );
  }
  return expired;
}

class AlreadyHandled extends Error {}

/** Runs `expireDueContracts` every `intervalMs` until stopped. Failures are logged and retried next tick. */
export function startExpiryScheduler(db: Db, intervalMs: number, onError: (e: unknown) => void = console.error): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => expireDueContracts(db)).catch(onError);
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

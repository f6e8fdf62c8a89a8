// The expiry scheduler: executed contracts whose `expiresAt` has passed become `expired`. Safe with
// many server instances: candidates are claimed with SKIP LOCKED and each change re-checks its status.
import { and, eq, isNotNull, lte } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { contracts } from '../db/schema/index.js';
import { startPeriodicTask } from '../periodic-task.js';
import { isAllowed } from './lifecycle.js';
import { mutateContract } from './mutate-contract.js';

/** The actor recorded for changes the server makes on its own. */
export const SYSTEM_ACTOR: Principal = { userId: 'system', did: 'system', organizationId: 'system', roles: [] };

export interface ExpireOptions {
  /** Contracts whose `expiresAt` is at or before this expire. @default now */
  now?: Date;
  /** Most contracts expired per call. @default 100 */
  batch?: number;
}

/** Expires every due contract (up to `batch`); returns how many it expired. */
export async function expireDueContracts(
  db: Db,
  { now = new Date(), batch = 100 }: ExpireOptions = {},
): Promise<number> {
  const due = await db
    .select({ id: contracts.id })
    .from(contracts)
    .where(and(eq(contracts.status, 'executed'), isNotNull(contracts.expiresAt), lte(contracts.expiresAt, now)))
    .limit(batch);
  let expired = 0;
  for (const { id } of due) if (await expireContract(db, id)) expired++;
  return expired;
}

/** Expires one executed contract; false when it is no longer executed (another instance, a termination). */
export async function expireContract(db: Db, contractId: string): Promise<boolean> {
  return mutateContract(
    db,
    SYSTEM_ACTOR,
    contractId,
    { audience: 'organization', system: true },
    async ({ contract }) => {
      if (!isAllowed(contract.status, 'expire')) throw new AlreadyHandled();
      return { action: 'expire', toStatus: 'expired' };
    },
  ).then(
    () => true,
    (e) => {
      if (e instanceof AlreadyHandled) return false;
      throw e;
    },
  );
}

class AlreadyHandled extends Error {}

/** Runs `expireDueContracts` every `intervalMs` until stopped. Failures are logged and retried next tick. */
export function startExpiryScheduler(
  db: Db,
  o: { intervalMs: number; onError: (e: unknown) => void },
): () => Promise<void> {
  return startPeriodicTask(() => expireDueContracts(db), o);
}

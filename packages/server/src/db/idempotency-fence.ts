// Fences a request's changes to the Idempotency-Key claim it runs under. The idempotency middleware runs
// the handler inside `runUnderIdempotencyClaim`; every change's transaction (through `recordEvent`, which
// every audited change calls) then updates the key's row in that same transaction, checking that the
// claim is still this request's. So a request whose claim was taken over by a retry (its instance was
// presumed dead) can no longer commit, and a retry can see that a first attempt's change committed even
// when its process died before storing the response: exactly one effect per key.
import { AsyncLocalStorage } from 'node:async_hooks';
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../errors/app-error.js';
import type { Tx } from './database.js';
import { idempotencyKeys } from './schema/index.js';

export interface IdempotencyClaim {
  scope: string;
  key: string;
  /** `owner` of the row while this claim holds it. */
  owner: string;
  leaseMs: number;
  /** False once the request has ended: work it left behind (a late callback) is no longer fenced. */
  active: boolean;
}

const claims = new AsyncLocalStorage<IdempotencyClaim>();

export function runUnderIdempotencyClaim<T>(claim: IdempotencyClaim, run: () => T): T {
  return claims.run(claim, run);
}

/** `now() + ms` on the database's clock, so that instances with skewed clocks agree on leases. */
export const leaseFromNow = (ms: number) => sql`now() + ${`${Math.round(ms)} milliseconds`}::interval`;

/**
 * Inside a change's transaction: records that the request's effect on `resource` commits with it, and
 * fails the transaction (rolling the change back) when the request no longer holds its key.
 */
export async function fenceIdempotencyClaim(tx: Tx, resource: { type: string; id: string }): Promise<void> {
  const claim = claims.getStore();
  if (!claim?.active) return;
  const held = await tx
    .update(idempotencyKeys)
    .set({ committedResource: resource, leaseExpiresAt: leaseFromNow(claim.leaseMs) })
    .where(
      and(
        eq(idempotencyKeys.scope, claim.scope),
        eq(idempotencyKeys.key, claim.key),
        eq(idempotencyKeys.owner, claim.owner),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  if (held.length === 0) {
    throw new AppError(
      'idempotency_key_in_use',
      'A retry took over this Idempotency-Key; this attempt changed nothing.',
      { headers: { 'retry-after': '1' } },
    );
  }
}

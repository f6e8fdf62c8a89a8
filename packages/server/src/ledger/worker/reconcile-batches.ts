// After the chain restarted or went backwards (a re-org, or a node that lost recent state), checks that
// recently confirmed batches are still anchored; any that is not goes back to `pending` to be anchored
// again with the same root.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Hex } from 'viem';
import type { Db } from '../../db/database.js';
import { ledgerBatches } from '../../db/schema/index.js';
import { readAnchor, type LedgerChain } from '../chain/ledger-chain.js';

/** Returns how many batches were sent back to be anchored again. */
export async function reconcileBatches(db: Db, chain: LedgerChain, o: { recent?: number } = {}): Promise<number> {
  const recent = await db
    .select({ id: ledgerBatches.id, root: ledgerBatches.root })
    .from(ledgerBatches)
    .where(and(eq(ledgerBatches.status, 'confirmed'), eq(ledgerBatches.ledgerAddress, chain.ledgerAddress)))
    .orderBy(desc(ledgerBatches.confirmedAt))
    .limit(o.recent ?? 500);
  const lost: string[] = [];
  for (let i = 0; i < recent.length; i += 50) {
    const chunk = recent.slice(i, i + 50);
    const anchors = await Promise.all(chunk.map((b) => readAnchor(chain, b.root as Hex)));
    chunk.forEach((b, j) => anchors[j]!.anchoredAt === 0n && lost.push(b.id));
  }
  if (lost.length) {
    chain.nonces.reset();
    await db
      .update(ledgerBatches)
      .set({ status: 'pending', lastError: 'anchor no longer on chain (re-org or chain state lost)', transactionHash: null, blockNumber: null, blockHash: null, confirmedAt: null, leaseOwner: null, leaseUntil: null })
      .where(and(inArray(ledgerBatches.id, lost), eq(ledgerBatches.status, 'confirmed')));
  }
  return lost.length;
}

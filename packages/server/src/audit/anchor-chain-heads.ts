// Chain heads are anchored even when no contract changes. Only contract events are anchored as they
// happen; logins, member and invitation changes are not. Every `CMS_AUDIT_HEAD_ANCHOR_INTERVAL_MS`, each
// organization whose newest audit event is not queued for anchoring gets that event queued: since each
// event names its predecessor's hash, the anchored head vouches for the whole chain before it, so every
// event is covered by an on-chain root within one interval (plus the batch wait), and a tail cut off the
// chain later no longer matches a head that anyone holding a proof or an export can show was anchored.
// Idempotent across instances: the outbox has one row per audit event (ON CONFLICT DO NOTHING).
import { and, eq, gt, notExists, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { auditChainHeads, auditEvents, ledgerOutbox } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import type { Logger } from '../observability/logger.js';
import { startPeriodicTask } from '../periodic-task.js';

/** Queues the head event of every organization whose head is not queued yet; returns how many it queued. */
export async function anchorChainHeads(db: Db, { batch = 1000 }: { batch?: number } = {}): Promise<number> {
  const heads = await db
    .select({ organizationId: auditEvents.organizationId, id: auditEvents.id, hash: auditEvents.hash })
    .from(auditChainHeads)
    .innerJoin(
      auditEvents,
      and(eq(auditEvents.organizationId, auditChainHeads.organizationId), eq(auditEvents.seq, auditChainHeads.seq)),
    )
    .where(
      and(
        gt(auditChainHeads.seq, 0),
        notExists(db.select({ one: sql`1` }).from(ledgerOutbox).where(eq(ledgerOutbox.auditEventId, auditEvents.id))),
      ),
    )
    .limit(batch);
  if (heads.length === 0) return 0;
  const queued = await db
    .insert(ledgerOutbox)
    .values(
      heads.map((h) => ({ id: uuidv7(), organizationId: h.organizationId, auditEventId: h.id, eventHash: h.hash })),
    )
    .onConflictDoNothing()
    .returning({ id: ledgerOutbox.id });
  return queued.length;
}

/** Runs `anchorChainHeads` every `intervalMs` until stopped. */
export function startChainHeadAnchoring(db: Db, o: { intervalMs: number; logger: Logger }): () => Promise<void> {
  return startPeriodicTask(
    async () => {
      const queued = await anchorChainHeads(db);
      if (queued) o.logger.debug({ count: queued }, 'audit chain heads queued for anchoring');
    },
    {
      intervalMs: o.intervalMs,
      onError: (err) => o.logger.warn({ err }, 'anchoring audit chain heads failed; retrying next round'),
    },
  );
}

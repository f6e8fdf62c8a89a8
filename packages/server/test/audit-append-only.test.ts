// The audit table is append-only in the database itself: ordinary UPDATE, DELETE and TRUNCATE are refused
// by its triggers, and a row changed behind the triggers' back (a superuser disabling them) is found by the
// chain verification, naming the row. Runs on PGlite, and on PostgreSQL when CMS_TEST_DATABASE_URL is set
// (the integration suite).

import { computeAuditEventHash } from '@cms/sdk';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../src/audit/record-event.js';
import { verifyAuditChain } from '../src/audit/verify-audit-chain.js';
import type { Database, Tx } from '../src/db/database.js';
import { auditChainHeads, auditEvents, ledgerOutbox, organizations } from '../src/db/schema/index.js';
import { uuidv7 } from '../src/db/uuidv7.js';
import { openTestDatabase } from '../src/testing/test-database.js';

let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function organizationWithEvents(n: number) {
  const organizationId = uuidv7();
  await database.db.insert(organizations).values({ id: organizationId, name: 'Audit test' });
  const events = [];
  for (let i = 0; i < n; i++) {
    events.push(
      await database.db.transaction((tx) =>
        recordEvent(tx, {
          organizationId,
          actorDid: 'did:key:z6MkTest',
          action: 'contract.created',
          resource: { type: 'contract', id: uuidv7() },
          data: { i },
        }),
      ),
    );
  }
  return { organizationId, events };
}

/** The database's refusal of a statement (drizzle wraps the driver's error in `cause`). */
async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    const e = err as { message: string; cause?: { message: string } };
    return e.cause?.message ?? e.message;
  }
  throw new Error('the statement was not refused');
}

/** Runs `change` with the append-only triggers disabled, as a superuser with direct access could. */
async function behindTheTriggersBack(change: (tx: Tx) => Promise<unknown>) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await change(tx);
    await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
  });
}

async function deleteRow(tx: Tx, id: string) {
  await tx.delete(ledgerOutbox).where(eq(ledgerOutbox.auditEventId, id));
  await tx.delete(auditEvents).where(eq(auditEvents.id, id));
}

describe(`audit_events is append-only (${process.env.CMS_TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('refuses UPDATE, DELETE and TRUNCATE and leaves the rows as they were', async () => {
    const { organizationId, events } = await organizationWithEvents(3);
    const target = events[1]!;
    expect(
      await refusal(() =>
        database.db.update(auditEvents).set({ action: 'contract.voided' }).where(eq(auditEvents.id, target.id)),
      ),
    ).toMatch(/audit_events is append-only: UPDATE refused/);
    expect(await refusal(() => database.db.delete(auditEvents).where(eq(auditEvents.id, target.id)))).toMatch(
      /audit_events is append-only: DELETE refused/,
    );
    expect(await refusal(() => database.db.execute(sql`truncate audit_events cascade`))).toMatch(
      /audit_events is append-only: TRUNCATE refused/,
    );
    const rows = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.organizationId, organizationId))
      .orderBy(auditEvents.seq);
    expect(rows).toEqual(events);
    expect(await verifyAuditChain(database.db, { organizationId })).toMatchObject({
      verified: true,
      checkedEvents: 3,
      firstSeq: 1,
      lastSeq: 3,
      break: null,
    });
  });

  it('a DELETE naming an archive that does not cover the row is still refused', async () => {
    const { events } = await organizationWithEvents(1);
    const message = await refusal(() =>
      database.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('cms.audit_archive_id', ${uuidv7()}, true)`);
        await tx.delete(auditEvents).where(eq(auditEvents.id, events[0]!.id));
      }),
    );
    expect(message).toMatch(/append-only: DELETE refused/);
  });

  it('verify names the row whose content was changed behind the triggers', async () => {
    const { organizationId, events } = await organizationWithEvents(5);
    const target = events[2]!;
    await behindTheTriggersBack((tx) =>
      tx
        .update(auditEvents)
        .set({ data: { i: 99 } })
        .where(eq(auditEvents.id, target.id)),
    );
    const expected = await computeAuditEventHash({
      id: target.id,
      organizationId,
      seq: 3,
      occurredAt: target.occurredAt.toISOString(),
      actorDid: target.actorDid,
      action: target.action,
      resource: { type: target.resourceType, id: target.resourceId },
      data: { i: 99 },
      prevHash: target.prevHash,
    });
    const result = await verifyAuditChain(database.db, { organizationId });
    expect(result.verified).toBe(false);
    expect(result.break).toEqual({ kind: 'hash_mismatch', eventId: target.id, seq: 3, expected, found: target.hash });
    expect(result.checkedEvents).toBe(2);
  });

  it('verify finds a row rewritten with a recomputed hash: the next row no longer links to it', async () => {
    const { organizationId, events } = await organizationWithEvents(4);
    const target = events[1]!;
    const forged = { ...target, data: { i: 'forged' } };
    const hash = await computeAuditEventHash({
      id: forged.id,
      organizationId,
      seq: forged.seq,
      occurredAt: forged.occurredAt.toISOString(),
      actorDid: forged.actorDid,
      action: forged.action,
      resource: { type: forged.resourceType, id: forged.resourceId },
      data: forged.data,
      prevHash: forged.prevHash,
    });
    await behindTheTriggersBack((tx) =>
      tx.update(auditEvents).set({ data: forged.data, hash }).where(eq(auditEvents.id, target.id)),
    );
    const result = await verifyAuditChain(database.db, { organizationId });
    expect(result.break).toEqual({
      kind: 'prev_hash_mismatch',
      eventId: events[2]!.id,
      seq: 3,
      expected: hash,
      found: target.hash,
    });
  });

  it('verify finds a deleted row (a gap) and a truncated tail (the recorded head is ahead)', async () => {
    const gap = await organizationWithEvents(4);
    await behindTheTriggersBack((tx) => deleteRow(tx, gap.events[1]!.id));
    expect((await verifyAuditChain(database.db, { organizationId: gap.organizationId })).break).toEqual({
      kind: 'seq_gap',
      eventId: gap.events[2]!.id,
      seq: 3,
      expected: '2',
      found: '3',
    });

    const tail = await organizationWithEvents(3);
    await behindTheTriggersBack((tx) => deleteRow(tx, tail.events[2]!.id));
    const [head] = await database.db
      .select()
      .from(auditChainHeads)
      .where(eq(auditChainHeads.organizationId, tail.organizationId));
    const result = await verifyAuditChain(database.db, { organizationId: tail.organizationId });
    expect(result.break).toEqual({
      kind: 'head_mismatch',
      eventId: null,
      seq: 3,
      expected: `seq 3 ${head!.headHash}`,
      found: `seq 2 ${tail.events[1]!.hash}`,
    });
  });

  it('verify of a time range starts at the range and links it to the stored predecessor', async () => {
    const { organizationId, events } = await organizationWithEvents(4);
    const from = events[2]!.occurredAt;
    const result = await verifyAuditChain(database.db, { organizationId, from });
    expect(result).toMatchObject({
      verified: true,
      firstSeq: events.findIndex((e) => e.occurredAt >= from) + 1,
      lastSeq: 4,
    });
  });
});

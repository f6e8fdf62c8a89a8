import {
  CmsConflictError,
  CmsNotFoundError,
  CmsPermissionError,
  CmsValidationError,
  computeContentHash,
} from '@cms/sdk';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireDueContracts } from '../src/contracts/expire-contracts.js';
import { recordSignature } from '../src/contracts/sign-contract.js';
import { auditEvents, ledgerOutbox } from '../src/db/schema/index.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

type User = Awaited<ReturnType<typeof loggedInClient>>;
let server: TestServer;
let owner: User, alice: User, bob: User, carol: User, outsider: User;

beforeAll(async () => {
  server = await startTestServer();
  [owner, alice, bob, carol, outsider] = (await Promise.all(
    Array.from({ length: 5 }, () => loggedInClient(server.url)),
  )) as [User, User, User, User, User];
});
afterAll(() => server?.close());

const principal = (u: User) => server.services.tokens.verify(u.client.auth.accessToken!);
const sign = (u: User, id: string) => recordSignature(server.services.database.db, principal(u), id);
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e) => e,
  );

async function draft(extra: Record<string, unknown> = {}) {
  return owner.client.contracts.create({
    title: 'Supply agreement',
    parties: [
      { did: alice.key.did, role: 'signer', signingOrder: 1 },
      { did: bob.key.did, role: 'approver', signingOrder: 2 },
      { did: carol.key.did, role: 'cc' },
    ],
    ...extra,
  });
}

describe('lifecycle', () => {
  it('runs draft → pending → partially_signed → executed in signing order, recording everything', async () => {
    const c = await draft();
    expect(c.parties.map((p) => p.status)).toEqual(['waiting', 'waiting', 'waiting']);
    const sent = await owner.client.contracts.send(c.id);
    expect(sent.status).toBe('pending');
    expect(sent.parties.map((p) => p.status)).toEqual(['sent', 'waiting', 'sent']);
    expect(sent.parties[0]!.sentAt).not.toBeNull();

    // Parties read the contract from their own organizations; a first read by a party whose turn it is marks it viewed.
    const seenByAlice = await alice.client.contracts.get(c.id);
    expect(seenByAlice.parties[0]).toMatchObject({ status: 'viewed' });
    expect(seenByAlice.revision).toBe(sent.revision + 1);
    expect((await bob.client.contracts.get(c.id)).parties[1]!.status).toBe('waiting');

    expect(await errorOf(sign(bob, c.id))).toMatchObject({ code: 'out_of_order' });
    const half = await sign(alice, c.id);
    expect(half.status).toBe('partially_signed');
    expect(half.parties.map((p) => p.status)).toEqual(['signed', 'sent', 'sent']);
    expect(await errorOf(sign(alice, c.id))).toMatchObject({ code: 'already_signed' });
    expect(await errorOf(sign(carol, c.id))).toMatchObject({ code: 'not_a_party' });
    const done = await sign(bob, c.id);
    expect(done.status).toBe('executed');
    expect(done.version).toBe(1);
    expect(done.contentHash).toBe(c.contentHash);

    const history = await owner.client.contracts.history(c.id);
    expect(history.data.map((h) => [h.seq, h.action, h.fromStatus, h.toStatus, h.partyDid])).toEqual([
      [1, 'create', null, 'draft', null],
      [2, 'send', 'draft', 'pending', null],
      [3, 'sign', 'pending', 'partially_signed', alice.key.did],
      [4, 'sign', 'partially_signed', 'executed', bob.key.did],
    ]);
    const db = server.services.database.db;
    const events = await db.select().from(auditEvents).where(eq(auditEvents.resourceId, c.id));
    expect(events.map((e) => e.action)).toEqual([
      'contract.created',
      'contract.send',
      'contract.viewed',
      'contract.sign',
      'contract.sign',
    ]);
    const outbox = await db.select().from(ledgerOutbox).where(eq(ledgerOutbox.contractId, c.id));
    expect(outbox).toHaveLength(4); // every state change is queued for anchoring; views are audited only
  });

  it('freezes content once sent', async () => {
    const c = await owner.client.contracts.send((await draft()).id);
    const error = await errorOf(owner.client.contracts.update(c.id, { title: 'Changed' }));
    expect(error).toBeInstanceOf(CmsConflictError);
    expect(error).toMatchObject({ status: 409, code: 'invalid_transition' });
  });

  it('needs a signer to send', async () => {
    const c = await owner.client.contracts.create({
      title: 'No signer',
      parties: [{ did: carol.key.did, role: 'viewer' }],
    });
    expect(await errorOf(owner.client.contracts.send(c.id))).toMatchObject({ status: 422, code: 'missing_signer' });
  });

  it('updates a draft under If-Match and bumps the content version', async () => {
    const c = await draft({ terms: { price: 100 } });
    const updated = await owner.client.contracts.update(
      c.id,
      { terms: { price: 120 }, description: 'v2' },
      { ifMatch: c.revision },
    );
    expect(updated).toMatchObject({
      version: 2,
      revision: 2,
      terms: { price: 120 },
      description: 'v2',
      title: c.title,
    });
    expect(updated.contentHash).not.toBe(c.contentHash);
    expect(updated.contentHash).toBe(await computeContentHash(updated));
    const stale = await errorOf(owner.client.contracts.update(c.id, { title: 'lost update' }, { ifMatch: c.revision }));
    expect(stale).toMatchObject({ status: 412, code: 'precondition_failed' });
    expect((await owner.client.contracts.get(c.id)).title).toBe(c.title);
    const cleared = await owner.client.contracts.update(c.id, {
      description: null,
      parties: [{ did: alice.key.did, role: 'signer' }],
    });
    expect(cleared).toMatchObject({ description: null, version: 3, parties: [{ did: alice.key.did }] });
  });

  it('returns the revision (plus a ledger tag) as ETag and honours If-Match on transitions', async () => {
    const c = await draft();
    const res = await request(server.url, 'GET', `/v1/contracts/${c.id}`, { token: owner.client.auth.accessToken });
    expect(res.headers.get('etag')).toMatch(new RegExp(`^"${c.revision}\\.[0-9a-f]{12}"$`));
    const stale = await request(server.url, 'POST', `/v1/contracts/${c.id}/send`, {
      token: owner.client.auth.accessToken,
      headers: { 'if-match': '"99"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe(`"${c.revision}"`);
    const ok = await request(server.url, 'POST', `/v1/contracts/${c.id}/send`, {
      token: owner.client.auth.accessToken,
      headers: { 'if-match': `W/"${c.revision}"` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toMatch(new RegExp(`^"${c.revision + 1}\\.[0-9a-f]{12}"$`));
  });

  it('voids by the owning organization only, from non-final states only', async () => {
    const c = await owner.client.contracts.send((await draft()).id);
    expect(await errorOf(alice.client.contracts.void(c.id, 'not mine'))).toBeInstanceOf(CmsNotFoundError);
    const voided = await owner.client.contracts.void(c.id, 'Deal fell through');
    expect(voided.status).toBe('voided');
    expect(await errorOf(owner.client.contracts.void(c.id, 'again'))).toMatchObject({ code: 'invalid_transition' });
    expect(await errorOf(sign(alice, c.id))).toMatchObject({ code: 'invalid_transition' });
    expect((await owner.client.contracts.history(c.id)).data.at(-1)).toMatchObject({
      action: 'void',
      reason: 'Deal fell through',
      actorDid: owner.key.did,
    });
  });

  it('lets a party decline, and nobody else', async () => {
    const c = await owner.client.contracts.send((await draft()).id);
    expect(await errorOf(owner.client.contracts.decline(c.id, 'owner is no party'))).toBeInstanceOf(CmsPermissionError);
    expect(await errorOf(carol.client.contracts.decline(c.id, 'cc cannot decline'))).toMatchObject({
      status: 403,
      code: 'not_a_party',
    });
    expect(await errorOf(outsider.client.contracts.decline(c.id, 'stranger'))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    const declined = await bob.client.contracts.decline(c.id, 'Price too high');
    expect(declined.status).toBe('declined');
    expect(declined.parties[1]).toMatchObject({ status: 'declined', declineReason: 'Price too high' });
    expect(await errorOf(sign(alice, c.id))).toMatchObject({ code: 'invalid_transition' });
  });

  it('terminates and expires executed contracts only', async () => {
    const d = await draft();
    expect(await errorOf(owner.client.contracts.terminate(d.id, 'early'))).toMatchObject({
      code: 'invalid_transition',
    });
    const execute = async (expiresAt?: string) => {
      const c = await owner.client.contracts.create({
        title: 'Short',
        parties: [{ did: alice.key.did, role: 'signer' }],
        ...(expiresAt && { expiresAt }),
      });
      await owner.client.contracts.send(c.id);
      return sign(alice, c.id);
    };
    const t = await execute();
    expect((await owner.client.contracts.terminate(t.id, 'Breach')).status).toBe('terminated');
    const e = await execute(new Date(Date.now() + 60_000).toISOString());
    expect(await expireDueContracts(server.services.database.db, { now: new Date() })).toBe(0);
    expect(
      await expireDueContracts(server.services.database.db, { now: new Date(Date.now() + 120_000) }),
    ).toBeGreaterThanOrEqual(1);
    const expired = await owner.client.contracts.get(e.id);
    expect(expired.status).toBe('expired');
    expect((await owner.client.contracts.history(e.id)).data.at(-1)).toMatchObject({
      action: 'expire',
      actorDid: 'system',
      fromStatus: 'executed',
    });
    expect(await errorOf(owner.client.contracts.terminate(e.id, 'too late'))).toMatchObject({
      code: 'invalid_transition',
    });
  });

  it('links amendments to a sent contract of the same organization', async () => {
    const original = await owner.client.contracts.send((await draft()).id);
    const amendment = await owner.client.contracts.create({ title: 'Amendment 1', supersedes: original.id });
    expect(amendment.supersedes).toBe(original.id);
    const fromDraft = await errorOf(owner.client.contracts.create({ title: 'x', supersedes: (await draft()).id }));
    expect(fromDraft).toMatchObject({ status: 422, code: 'invalid_reference' });
    const foreign = await errorOf(outsider.client.contracts.create({ title: 'x', supersedes: original.id }));
    expect(foreign).toBeInstanceOf(CmsValidationError);
  });

  it('rejects a DID listed twice', async () => {
    const error = await errorOf(
      owner.client.contracts.create({
        title: 'x',
        parties: [
          { did: alice.key.did, role: 'signer' },
          { did: alice.key.did, role: 'cc' },
        ],
      }),
    );
    expect(error).toMatchObject({
      status: 422,
      code: 'validation_failed',
      details: { errors: [{ path: '/body/parties/1/did' }] },
    });
  });
});

describe('listing filters', () => {
  it('filters by party, title text, external id and creation time, within the organization', async () => {
    const u = await loggedInClient(server.url);
    const before = new Date(Date.now() - 1).toISOString();
    const a = await u.client.contracts.create({
      title: 'Lease: 100% office',
      externalId: 'L-1',
      parties: [{ did: alice.key.did, role: 'signer' }],
    });
    const b = await u.client.contracts.create({
      title: 'Loan agreement',
      parties: [{ did: bob.key.did, role: 'signer' }],
    });
    const ids = async (q: Record<string, string>) => (await u.client.contracts.list(q as never)).data.map((c) => c.id);
    expect(await ids({ partyDid: alice.key.did })).toEqual([a.id]);
    expect(await ids({ q: 'LOAN' })).toEqual([b.id]);
    expect(await ids({ q: '100%' })).toEqual([a.id]);
    expect(await ids({ q: '%' })).toEqual([a.id]);
    expect(await ids({ externalId: 'L-1' })).toEqual([a.id]);
    expect(await ids({ createdAfter: before })).toEqual([b.id, a.id]);
    expect(await ids({ createdBefore: before })).toEqual([]);
    // Alice is a party to `a`, but listing shows only her own organization's contracts.
    expect((await alice.client.contracts.list({ q: 'Lease' })).data).toEqual([]);
  });
});

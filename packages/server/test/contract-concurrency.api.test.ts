// Conflicting changes at once on one contract: exactly one wins each conflict, nothing is lost or
// doubled. Runs on PGlite in `pnpm test` and on real PostgreSQL (real row-lock contention) in the
// integration suite.
import { randomUUID } from 'node:crypto';
import { generateDidKey } from '@cms/sdk';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSignature } from '../src/contracts/sign-contract.js';
import { auditEvents, contractTransitions, ledgerOutbox } from '../src/db/schema/index.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

const N = 50;
let server: TestServer;
let owner: Awaited<ReturnType<typeof loggedInClient>>;

beforeAll(async () => {
  server = await startTestServer();
  owner = await loggedInClient(server.url);
});
afterAll(() => server?.close());

const transitions = (contractId: string, action: 'void' | 'update' | 'sign') =>
  server.services.database.db
    .select()
    .from(contractTransitions)
    .where(and(eq(contractTransitions.contractId, contractId), eq(contractTransitions.action, action)));

describe(`${N} concurrent conflicting changes`, () => {
  it('void: one succeeds, the others see invalid_transition, one history row', async () => {
    const signer = await generateDidKey();
    const c = await owner.client.contracts.create({ title: 'Race', parties: [{ did: signer.did, role: 'signer' }] });
    await owner.client.contracts.send(c.id);
    const token = owner.client.auth.accessToken;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        request(server.url, 'POST', `/v1/contracts/${c.id}/void`, { token, body: { reason: `attempt ${i}` } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.json.code === 'invalid_transition')).toBe(true);
    expect(statuses.filter((s) => s === 409)).toHaveLength(N - 1);
    expect(await transitions(c.id, 'void')).toHaveLength(1);
  });

  it('update under one If-Match: one succeeds, the others get 412, no lost update', async () => {
    const c = await owner.client.contracts.create({ title: 'Race', terms: { n: -1 } });
    const token = owner.client.auth.accessToken;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        request(server.url, 'PATCH', `/v1/contracts/${c.id}`, {
          token,
          body: { terms: { n: i } },
          headers: { 'if-match': `"${c.revision}"` },
        }),
      ),
    );
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(N - 1);
    const final = await owner.client.contracts.get(c.id);
    expect(final).toMatchObject({ version: 2, revision: 2, terms: winners[0]!.json.terms });
    expect(await transitions(c.id, 'update')).toHaveLength(1);
  });

  it(`${N} parties of one group signing at once: every signature recorded exactly once`, async () => {
    const keys = await Promise.all(Array.from({ length: N }, () => generateDidKey()));
    const c = await owner.client.contracts.create({
      title: 'Many signers',
      parties: keys.map((k) => ({ did: k.did, role: 'signer' as const })),
    });
    await owner.client.contracts.send(c.id);
    const base = server.services.tokens.verify(owner.client.auth.accessToken!);
    const db = server.services.database.db;
    // Each signer acts from its own organization; being a party is what grants access.
    await Promise.all(
      keys.map((k) => recordSignature(db, { ...base, did: k.did, organizationId: randomUUID() }, c.id)),
    );
    const final = await owner.client.contracts.get(c.id);
    expect(final.status).toBe('executed');
    expect(final.parties.every((p) => p.status === 'signed')).toBe(true);
    expect(final.revision).toBe(2 + N);
    const signs = await transitions(c.id, 'sign');
    expect(new Set(signs.map((s) => s.partyDid)).size).toBe(N);
    expect(signs.map((s) => s.toStatus).filter((s) => s === 'executed')).toHaveLength(1);
    expect(await db.select().from(ledgerOutbox).where(eq(ledgerOutbox.contractId, c.id))).toHaveLength(2 + N);
  });

  it('a party reading at once from many connections is marked viewed once: one revision, one unanchored audit event', async () => {
    const carol = await loggedInClient(server.url);
    const c = await owner.client.contracts.create({
      title: 'Many reads',
      parties: [{ did: carol.key.did, role: 'signer' }],
    });
    const sent = await owner.client.contracts.send(c.id);
    const token = carol.client.auth.accessToken;
    const reads = await Promise.all(
      Array.from({ length: 10 }, () => request(server.url, 'GET', `/v1/contracts/${c.id}`, { token })),
    );
    expect(reads.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(reads.every((r) => r.json.parties[0].status === 'viewed' && r.json.revision === sent.revision + 1)).toBe(
      true,
    );
    const db = server.services.database.db;
    const views = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.resourceId, c.id), eq(auditEvents.action, 'contract.viewed')));
    expect(views.map((e) => e.data)).toEqual([{ partyDid: carol.key.did, revision: sent.revision + 1 }]);
    // Views are audited but neither history rows nor anchored.
    expect(
      (await db.select().from(contractTransitions).where(eq(contractTransitions.contractId, c.id))).map(
        (t) => t.action,
      ),
    ).toEqual(['create', 'send']);
    expect(await db.select().from(ledgerOutbox).where(eq(ledgerOutbox.contractId, c.id))).toHaveLength(2);
  });
});

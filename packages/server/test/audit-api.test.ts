// The audit trail over HTTP: GET /v1/audit/events (filters, cursor pagination, tenant isolation),
// GET /v1/audit/verify (a row changed behind the triggers' back is named), and GET /v1/audit/export
// (JSON Lines and CSV, whose trailer is a manifest signed by a key of /.well-known/jwks.json).
import { createHash, createPublicKey, verify } from 'node:crypto';
import { canonicalJson } from '@cms/sdk';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../src/db/schema/index.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, memberOf, request } from './api-helpers.js';

let server: TestServer;
let owner: Awaited<ReturnType<typeof loggedInClient>>;
let token: string;
const contractIds: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  owner = await loggedInClient(server.url);
  token = owner.client.auth.accessToken!;
  for (const title of ['A', 'B', 'C']) contractIds.push((await owner.client.contracts.create({ title })).id);
  await owner.client.contracts.update(contractIds[1]!, { title: 'B2' });
}, 120_000);
afterAll(() => server?.close());

const get = (path: string, t = token) => request(server.url, 'GET', path, { token: t });

describe('GET /v1/audit/events', () => {
  it('lists the organization’s events in chain order, page by page', async () => {
    const all = (await get('/v1/audit/events')).json;
    expect(all.data.map((e: { seq: number }) => e.seq)).toEqual(all.data.map((_: unknown, i: number) => i + 1));
    expect(all.data.every((e: { organizationId: string }) => e.organizationId === owner.token.organizationId)).toBe(
      true,
    );
    expect(all.nextCursor).toBeNull();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { seq: number }[]; nextCursor: string | null } = (
        await get(`/v1/audit/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json;
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e: { seq: number }) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((e: { seq: number }) => e.seq));
  });

  it('filters by contract, action, actor and time', async () => {
    const ofB = (await get(`/v1/audit/events?contractId=${contractIds[1]}`)).json.data;
    expect(ofB.map((e: { action: string }) => e.action)).toEqual(['contract.created', 'contract.update']);
    expect(ofB.every((e: { resource: { id: string } }) => e.resource.id === contractIds[1])).toBe(true);
    const created = (await get('/v1/audit/events?action=contract.created')).json.data;
    expect(created.map((e: { resource: { id: string } }) => e.resource.id)).toEqual(contractIds);
    const byOwner = (await get(`/v1/audit/events?actorDid=${encodeURIComponent(owner.key.did)}`)).json.data;
    expect(byOwner.length).toBeGreaterThanOrEqual(4);
    expect((await get('/v1/audit/events?actorDid=did:key:z6MkNobody')).json.data).toEqual([]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await get(`/v1/audit/events?from=${future}`)).json.data).toEqual([]);
    const past = (await get(`/v1/audit/events?to=${future}&resourceType=contract`)).json.data;
    expect(past).toHaveLength(4);
  });

  it('rejects a cursor it did not issue and an empty time range', async () => {
    const bad = await get('/v1/audit/events?cursor=bm9wZQ');
    expect(bad.status).toBe(422);
    expect(bad.json.code).toBe('validation_failed');
    const now = new Date().toISOString();
    const empty = await get(`/v1/audit/events?from=${now}&to=${now}`);
    expect(empty.status).toBe(422);
    expect(empty.json.errors).toEqual([{ path: '/query/to', message: 'must be after from' }]);
  });

  it('shows another tenant only its own events, and refuses members without audit:read', async () => {
    const other = await loggedInClient(server.url);
    const theirs = (await get('/v1/audit/events?limit=500', other.client.auth.accessToken!)).json.data;
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((e: { organizationId: string }) => e.organizationId === other.token.organizationId)).toBe(true);
    const leaked = await get(`/v1/audit/events?contractId=${contractIds[0]}`, other.client.auth.accessToken!);
    expect(leaked.json.data).toEqual([]);
    const member = await memberOf(server.url, owner.client, owner.token.organizationId, 'member');
    const denied = await get('/v1/audit/events', member.client.auth.accessToken!);
    expect(denied.status).toBe(403);
    const auditor = await memberOf(server.url, owner.client, owner.token.organizationId, 'auditor');
    expect((await get('/v1/audit/verify', auditor.client.auth.accessToken!)).status).toBe(200);
  });
});

describe('GET /v1/audit/export', () => {
  async function jwks() {
    return (await request(server.url, 'GET', '/.well-known/jwks.json')).json.keys as { kid: string; x: string }[];
  }
  async function signatureHolds(trailer: { manifest: unknown; signature: { kid: string; value: string } }) {
    const key = (await jwks()).find((k) => k.kid === trailer.signature.kid)!;
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' });
    return verify(
      null,
      Buffer.from(canonicalJson(trailer.manifest)),
      publicKey,
      Buffer.from(trailer.signature.value, 'base64url'),
    );
  }

  it('streams JSON Lines ending in a signed manifest of exactly what precedes it', async () => {
    const res = await get('/v1/audit/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = res.text.trimEnd().split('\n');
    const trailer = JSON.parse(lines.at(-1)!);
    const events = lines.slice(0, -1).map((l) => JSON.parse(l));
    const listed = (await get('/v1/audit/events?limit=500')).json.data;
    expect(events.map(({ anchor, ...e }) => e)).toEqual(listed);
    expect(events.every((e) => e.anchor === null)).toBe(true); // no chain in this suite
    const body = res.text.slice(0, res.text.length - lines.at(-1)!.length - 1);
    expect(trailer.manifest).toMatchObject({
      type: 'cms.audit-export.v1',
      organizationId: owner.token.organizationId,
      format: 'jsonl',
      rowCount: events.length,
      afterSeq: 0,
      afterHash: `0x${'0'.repeat(64)}`,
      firstSeq: 1,
      firstHash: events[0].hash,
      lastSeq: events.at(-1).seq,
      lastHash: events.at(-1).hash,
      headSeq: events.at(-1).seq,
      headHash: events.at(-1).hash,
      contentSha256: `0x${createHash('sha256').update(body).digest('hex')}`,
    });
    expect(await signatureHolds(trailer)).toBe(true);
    expect(await signatureHolds({ ...trailer, manifest: { ...trailer.manifest, rowCount: 1 } })).toBe(false);
  });

  it('exports a time range as CSV, from the first row of the range', async () => {
    const listed = (await get('/v1/audit/events?limit=500')).json.data;
    const from = listed[2].occurredAt;
    const res = await get(`/v1/audit/export?format=csv&from=${from}`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = res.text.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'id,organizationId,seq,occurredAt,actorDid,action,resourceType,resourceId,data,prevHash,hash,anchorRoot,anchorProof,anchorStatus,anchorTransactionHash',
    );
    const last = rows.at(-1)!;
    expect(last.startsWith('#manifest,"')).toBe(true);
    const trailer = JSON.parse(last.slice('#manifest,'.length).slice(1, -1).replace(/""/g, '"'));
    const firstInRange = listed.find((e: { occurredAt: string }) => e.occurredAt >= from);
    expect(trailer.manifest).toMatchObject({
      format: 'csv',
      from,
      to: null,
      firstSeq: firstInRange.seq,
      afterSeq: firstInRange.seq - 1,
      afterHash: firstInRange.prevHash,
      rowCount: rows.length - 2,
    });
    expect(rows[1]!.startsWith(`${firstInRange.id},`)).toBe(true);
    expect(await signatureHolds(trailer)).toBe(true);
  });
});

describe('GET /v1/audit/verify', () => {
  it('verifies an intact chain, then names the row changed behind the triggers’ back', async () => {
    const victim = await loggedInClient(server.url);
    const t = victim.client.auth.accessToken!;
    await victim.client.contracts.create({ title: 'One' });
    await victim.client.contracts.create({ title: 'Two' });
    const intact = (await get('/v1/audit/verify', t)).json;
    expect(intact).toMatchObject({
      verified: true,
      break: null,
      firstSeq: 1,
      organizationId: victim.token.organizationId,
    });
    expect(intact.checkedEvents).toBe(intact.lastSeq);

    const rows = (await get('/v1/audit/events', t)).json.data;
    const target = rows.find((e: { action: string }) => e.action === 'contract.created');
    await server.services.database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
      await tx.update(auditEvents).set({ actorDid: 'did:key:z6MkForged' }).where(eq(auditEvents.id, target.id));
      await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    });
    const broken = (await get('/v1/audit/verify', t)).json;
    expect(broken.verified).toBe(false);
    expect(broken.break).toMatchObject({
      kind: 'hash_mismatch',
      eventId: target.id,
      seq: target.seq,
      found: target.hash,
    });
    // The owner's organization is untouched.
    expect((await get('/v1/audit/verify')).json.verified).toBe(true);
  });
});

// The audit trail through the SDK against a real server: events as a PagePromise (a page, or every event with
// `for await`), the server's verification, and the export streamed and checked offline with `checkAuditChain`.
import {
  type AuditEvent,
  type AuditExportLine,
  type AuditExportTrailer,
  CmsIntegrityError,
  CmsPermissionError,
  checkAuditChain,
  verifyAuditExport,
} from '@cms/sdk';
import { startTestServer, type TestServer } from '@cms/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DidKeyUser, didKeyUser, errorOf } from './users.js';

let server: TestServer;
let owner: DidKeyUser;
beforeAll(async () => {
  server = await startTestServer();
  owner = await didKeyUser(server.url);
});
afterAll(() => server?.close());

it('pages through events, verifies the chain on the server and checks the export offline', async () => {
  const contract = await owner.client.contracts.create({ title: 'Audited' });
  await owner.client.contracts.create({ title: 'Audited too' });

  const first = await owner.client.audit.events({ limit: 1 });
  expect(first.data).toHaveLength(1);
  expect(first.nextCursor).toEqual(expect.any(String));
  const all: AuditEvent[] = [];
  for await (const event of owner.client.audit.events({ limit: 1 })) all.push(event);
  expect(all.length).toBeGreaterThanOrEqual(2);
  expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => all[0]!.seq + i));
  const ofContract = await owner.client.audit.events({ contractId: contract.id }).toArray();
  expect(ofContract.length).toBeGreaterThanOrEqual(1);
  expect(ofContract.every((e) => e.resource.id === contract.id)).toBe(true);

  const verification = await owner.client.audit.verify();
  expect(verification).toMatchObject({ verified: true, break: null, checkedEvents: all.length });

  const text = await new Response(await owner.client.audit.export()).text();
  const lines = text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  const { manifest } = lines.pop() as AuditExportTrailer;
  expect(manifest).toMatchObject({ type: 'cms.audit-export.v1', rowCount: all.length });
  const rows = lines as AuditExportLine[];
  const check = await checkAuditChain(rows, {
    organizationId: manifest.organizationId,
    after: { seq: manifest.afterSeq, hash: manifest.afterHash },
  });
  expect(check).toMatchObject({ verified: true, checkedEvents: all.length, lastHash: manifest.lastHash });

  // One call does it all, the manifest's signature included; a changed row or manifest fails, naming it.
  const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
  const report = await verifyAuditExport(text, { jwks });
  expect(report).toMatchObject({ verified: true, signatureChecked: true, chainChecked: false, rowCount: all.length });
  const tamperedRow = { ...rows[0]!, data: { ...rows[0]!.data, tampered: true } };
  const raw = text.trimEnd().split('\n');
  const tampered = await verifyAuditExport([JSON.stringify(tamperedRow), ...raw.slice(1)].join('\n'), { jwks });
  expect(tampered).toMatchObject({ verified: false, break: { kind: 'hash_mismatch', eventId: rows[0]!.id } });
  const trailer = JSON.parse(raw.at(-1)!) as AuditExportTrailer;
  const forged = { ...trailer, manifest: { ...trailer.manifest, rowCount: trailer.manifest.rowCount - 1 } };
  const forgedReport = await verifyAuditExport([...raw.slice(0, -1), JSON.stringify(forged)].join('\n'), { jwks });
  expect(forgedReport.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['row count', 'signature']);
  const notAnExport = await verifyAuditExport('{"hello":1}\n').catch((e: unknown) => e);
  expect(notAnExport).toBeInstanceOf(CmsIntegrityError);
  expect(notAnExport).toMatchObject({ code: 'invalid_audit_export' });

  const csv = await new Response(await owner.client.audit.export({ format: 'csv' })).text();
  expect(csv.split('\n')[0]).toMatch(/^id,organizationId,seq,/);
});

it('refuses the audit trail to a member without audit:read', async () => {
  const member = await didKeyUser(server.url);
  const orgId = (await owner.client.me.get()).organizationId;
  const invitation = await owner.client.invitations.create(orgId, { did: member.did, role: 'member' });
  const org = await member.client.invitations.accept(invitation.id, member.signer);
  await member.client.auth.refresh({ organizationId: org.id });
  expect(await errorOf(member.client.audit.events())).toBeInstanceOf(CmsPermissionError);
  expect(await errorOf(member.client.audit.export())).toBeInstanceOf(CmsPermissionError);
});

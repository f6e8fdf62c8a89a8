// Every operation of openapi/cms.yaml × every role of the owning organization, anonymous, a party of
// the contract from another organization, and another tenant, against a hand-written allow/deny table.
// An operation the table does not cover, or one without `x-cms-permission`, fails this test. Requests go
// to the server's app in process (`inProcessFetch`): the same middleware and handlers, no sockets.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createDidProof,
  didKeySigner,
  generateDidKey,
  ledgerBatchIdOf,
  ledgerLeafOf,
  type Role,
  signPayload,
} from '@cms/sdk';
import { attestEnclave, sealConfidentialTerms } from '@cms/sdk/enclave';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { auditEvents, ledgerBatches, ledgerLeaves, ledgerOutbox } from '../src/db/schema/index.js';
import { type OperationId, operationPolicies } from '../src/generated/routes.js';
import { inProcessFetch, startTestServer, type TestServer, testEnclave } from '../src/testing/start-test-server.js';
import { type ApiTarget, clientOf, loggedInClient, memberOf, request } from './api-helpers.js';

type Caller = Role | 'party' | 'tenant';
type User = Awaited<ReturnType<typeof loggedInClient>>;
const ROLES: Role[] = ['owner', 'admin', 'member', 'auditor', 'viewer'];
const CALLERS: Caller[] = [...ROLES, 'party', 'tenant'];

interface Call {
  method: string;
  path: string;
  body?: unknown;
  /** Use this token instead of the caller's (operations that end the caller's session). */
  token?: string;
}
interface Ctx {
  caller: User;
  owner: User;
  party: User;
  orgId: string;
}
interface Expectation {
  /** Who gets past authorization; anonymous callers only for `public`. `everyone` = every caller. */
  allowed: 'public' | 'everyone' | Caller[];
  call(ctx: Ctx): Promise<Call>;
  /** Status an allowed caller gets when the fixture cannot produce the resource (default: not 401/403/404). */
  allowedStatus?: number;
}

const WRITERS: Caller[] = ['owner', 'admin', 'member'];
const MANAGERS: Caller[] = ['owner', 'admin'];
/** Creates are in the caller's own organization: a party and another tenant own theirs. */
const CREATORS: Caller[] = [...WRITERS, 'party', 'tenant'];

let server: TestServer;
let api: ApiTarget;
let owner: User;
let party: User;
let orgId: string;
const callers = {} as Record<Caller, User>;

async function contract(ctx: Ctx, options: { send?: boolean } = {}) {
  const c = await ctx.owner.client.contracts.create({
    title: 'Matrix',
    parties: [{ did: ctx.party.key.did, role: 'signer' }],
  });
  if (options.send) await ctx.owner.client.contracts.send(c.id);
  return c;
}
/** A pending batch holding one event of a new contract of the owner's organization (no chain needed). */
async function batchOfOneEvent(ctx: Ctx): Promise<string> {
  const c = await contract(ctx);
  const db = server.services.database.db;
  const [event] = await db.select().from(ledgerOutbox).where(eq(ledgerOutbox.contractId, c.id));
  const leaf = ledgerLeafOf(event!.eventHash as `0x${string}`);
  const id = ledgerBatchIdOf(leaf);
  await db.insert(ledgerBatches).values({
    id,
    chainId: 31337,
    ledgerAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    root: leaf,
    leafCount: 1,
    status: 'pending',
  });
  await db.insert(ledgerLeaves).values({
    auditEventId: event!.auditEventId,
    organizationId: event!.organizationId,
    batchId: id,
    eventHash: event!.eventHash,
    leaf,
    proof: [],
  });
  await db.update(ledgerOutbox).set({ batchId: id }).where(eq(ledgerOutbox.auditEventId, event!.auditEventId));
  return id;
}
async function proofFor(signer: Awaited<ReturnType<typeof didKeySigner>>) {
  const challenge = (await request(api, 'POST', '/v1/auth/challenge', { body: { did: signer.did } })).json;
  return createDidProof(signer, challenge);
}
/** A published template of the organization (owned by its owner), with one role. */
async function template(ctx: Ctx, options: { publish?: boolean } = { publish: true }) {
  const t = await ctx.owner.client.templates.create({
    name: 'Matrix',
    body: 'Hello {{who}}, {{roles.Client.name}}',
    variables: { type: 'object', properties: { who: { type: 'string', default: 'world' } } },
    roles: [{ key: 'Client' }],
  });
  if (options.publish) await ctx.owner.client.templates.publish(t.id);
  return t;
}
/** A disabled webhook endpoint of the organization (disabled: nothing is sent anywhere). */
async function webhook(ctx: Ctx): Promise<string> {
  const res = await request(server.url, 'POST', '/v1/webhooks', {
    token: ctx.owner.client.auth.accessToken,
    body: { url: 'https://hooks.example.com/cms', enabled: false },
  });
  return res.json.id;
}
/** The path of a ping delivery of a fresh endpoint. */
async function webhookDelivery(ctx: Ctx): Promise<string> {
  const id = await webhook(ctx);
  const ping = await request(server.url, 'POST', `/v1/webhooks/${id}/test`, {
    token: ctx.owner.client.auth.accessToken,
  });
  return `/v1/webhooks/${id}/deliveries/${ping.json.id}`;
}
/** A text file uploaded to the owner's organization; answers its SHA-256. */
async function uploaded(ctx: Ctx): Promise<string> {
  const bytes = Buffer.from(`matrix ${Math.random()}\n`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const res = await fetch(`${server.url}/v1/files`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${ctx.owner.client.auth.accessToken}`,
      'content-type': 'text/plain',
      'content-digest': `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`,
    },
    body: bytes,
  });
  expect(res.status).toBe(201);
  return sha256;
}
const freshSigner = async () => didKeySigner((await generateDidKey()).privateKey);
const victim = async (ctx: Ctx) => (await memberOf(api, ctx.owner.client, ctx.orgId, 'viewer')).token.userId;

const EXPECTED: Record<OperationId, Expectation> = {
  getHealth: { allowed: 'public', call: async () => ({ method: 'GET', path: '/healthz' }) },
  getReadiness: { allowed: 'public', call: async () => ({ method: 'GET', path: '/readyz' }) },
  // Guarded by its own token or, without one, by a loopback peer (this test's): see metrics.api.test.ts.
  getMetrics: { allowed: 'public', call: async () => ({ method: 'GET', path: '/metrics' }) },
  getStatus: { allowed: 'public', call: async () => ({ method: 'GET', path: '/v1/status' }) },
  getEnclave: { allowed: 'public', call: async () => ({ method: 'GET', path: '/v1/enclave' }) },
  getEnclaveAttestation: {
    allowed: 'public',
    call: async () => ({ method: 'GET', path: `/v1/enclave/attestation?nonce=${'5a'.repeat(16)}` }),
  },
  getOpenApiDocument: { allowed: 'public', call: async () => ({ method: 'GET', path: '/openapi.json' }) },
  getApiDocs: { allowed: 'public', call: async () => ({ method: 'GET', path: '/docs' }) },
  getJwks: { allowed: 'public', call: async () => ({ method: 'GET', path: '/.well-known/jwks.json' }) },
  createAuthChallenge: {
    allowed: 'public',
    call: async () => ({ method: 'POST', path: '/v1/auth/challenge', body: { did: (await generateDidKey()).did } }),
  },
  createAuthToken: {
    allowed: 'public',
    call: async () => ({ method: 'POST', path: '/v1/auth/token', body: await proofFor(await freshSigner()) }),
  },
  refreshAuthToken: {
    allowed: 'public',
    call: async () => ({
      method: 'POST',
      path: '/v1/auth/refresh',
      body: { refreshToken: (await loggedInClient(api)).token.refreshToken },
    }),
  },

  logout: {
    allowed: 'everyone',
    call: async ({ caller }) => {
      const second = clientOf(api);
      await second.auth.login(caller.signer, { organizationId: caller.token.organizationId });
      return { method: 'POST', path: '/v1/auth/logout', token: second.auth.accessToken };
    },
  },
  listSessions: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/auth/sessions' }) },
  // The target is a session of the organization's owner: only its own user may end it.
  revokeSession: {
    allowed: ['owner'],
    call: async ({ owner: o }) => {
      const other = clientOf(api);
      const t = await other.auth.login(o.signer);
      return { method: 'DELETE', path: `/v1/auth/sessions/${t.sessionId}` };
    },
  },
  getMe: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/me' }) },
  addDid: {
    allowed: 'everyone',
    call: async () => ({ method: 'POST', path: '/v1/me/dids', body: await proofFor(await freshSigner()) }),
  },
  removeDid: {
    allowed: 'everyone',
    call: async ({ caller }) => {
      const signer = await freshSigner();
      await caller.client.me.addDid(signer);
      return { method: 'DELETE', path: `/v1/me/dids/${encodeURIComponent(signer.did)}` };
    },
  },
  listOrganizations: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/organizations' }) },
  createOrganization: {
    allowed: 'everyone',
    call: async () => ({ method: 'POST', path: '/v1/organizations', body: { name: 'Another' } }),
  },
  listMyInvitations: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/invitations' }) },
  acceptInvitation: {
    allowed: 'everyone',
    call: async (ctx) => {
      const signer = await freshSigner();
      const invitation = await ctx.owner.client.invitations.create(ctx.orgId, { did: signer.did, role: 'viewer' });
      return { method: 'POST', path: `/v1/invitations/${invitation.id}/accept`, body: await proofFor(signer) };
    },
  },

  getOrganization: { allowed: ROLES, call: async (ctx) => ({ method: 'GET', path: `/v1/organizations/${ctx.orgId}` }) },
  listMembers: {
    allowed: ['owner', 'admin', 'member', 'auditor'],
    call: async (ctx) => ({ method: 'GET', path: `/v1/organizations/${ctx.orgId}/members` }),
  },
  listInvitations: {
    allowed: ['owner', 'admin', 'member', 'auditor'],
    call: async (ctx) => ({ method: 'GET', path: `/v1/organizations/${ctx.orgId}/invitations` }),
  },
  listServiceAccounts: {
    allowed: ['owner', 'admin', 'member', 'auditor'],
    call: async (ctx) => ({ method: 'GET', path: `/v1/organizations/${ctx.orgId}/service-accounts` }),
  },
  updateMember: {
    allowed: MANAGERS,
    call: async (ctx) => ({
      method: 'PATCH',
      path: `/v1/organizations/${ctx.orgId}/members/${await victim(ctx)}`,
      body: { role: 'member' },
    }),
  },
  removeMember: {
    allowed: MANAGERS,
    call: async (ctx) => ({ method: 'DELETE', path: `/v1/organizations/${ctx.orgId}/members/${await victim(ctx)}` }),
  },
  createInvitation: {
    allowed: MANAGERS,
    call: async (ctx) => ({
      method: 'POST',
      path: `/v1/organizations/${ctx.orgId}/invitations`,
      body: { did: (await generateDidKey()).did, role: 'viewer' },
    }),
  },
  revokeInvitation: {
    allowed: MANAGERS,
    call: async (ctx) => {
      const invitation = await ctx.owner.client.invitations.create(ctx.orgId, {
        did: (await generateDidKey()).did,
        role: 'viewer',
      });
      return { method: 'DELETE', path: `/v1/organizations/${ctx.orgId}/invitations/${invitation.id}` };
    },
  },
  createServiceAccount: {
    allowed: MANAGERS,
    call: async (ctx) => ({
      method: 'POST',
      path: `/v1/organizations/${ctx.orgId}/service-accounts`,
      body: { name: 'bot', did: (await generateDidKey()).did, role: 'viewer' },
    }),
  },

  // Lists are of the caller's own organization; that other tenants' rows stay out is checked below.
  listContracts: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/contracts' }) },
  createContract: {
    allowed: CREATORS,
    call: async () => ({ method: 'POST', path: '/v1/contracts', body: { title: 'Mine' } }),
  },
  getContract: {
    allowed: [...ROLES, 'party'],
    call: async (ctx) => ({ method: 'GET', path: `/v1/contracts/${(await contract(ctx)).id}` }),
  },
  // Signing is for parties only: each caller signs as itself; members who are not parties are refused.
  getSigningPayload: {
    allowed: ['party'],
    call: async (ctx) => ({
      method: 'GET',
      path: `/v1/contracts/${(await contract(ctx, { send: true })).id}/signing-payload`,
    }),
  },
  submitSignature: {
    allowed: ['party'],
    call: async (ctx) => {
      const c = await contract(ctx, { send: true });
      const signer = await didKeySigner(ctx.caller.key.privateKey);
      const payload = {
        type: 'cms.signature.v1' as const,
        contractId: c.id,
        version: c.version,
        contentHash: c.contentHash,
        signer: signer.did,
        role: 'signer' as const,
        intent: 'sign' as const,
        signedAt: new Date().toISOString(),
      };
      return { method: 'POST', path: `/v1/contracts/${c.id}/signatures`, body: await signPayload(signer, payload) };
    },
  },
  getContractEvidence: {
    allowed: [...ROLES, 'party'],
    call: async (ctx) => ({ method: 'GET', path: `/v1/contracts/${(await contract(ctx)).id}/evidence` }),
  },
  // The fixture's contract is not executed: an allowed caller gets 409 contract_not_executed.
  getContractCertificate: {
    allowed: [...ROLES, 'party'],
    call: async (ctx) => ({ method: 'GET', path: `/v1/contracts/${(await contract(ctx)).id}/certificate.pdf` }),
    allowedStatus: 409,
  },
  getContractCompletedPdf: {
    allowed: [...ROLES, 'party'],
    call: async (ctx) => ({ method: 'GET', path: `/v1/contracts/${(await contract(ctx)).id}/completed.pdf` }),
    allowedStatus: 409,
  },
  // Uploads land in the caller's own organization; without Content-Digest an allowed caller gets 422.
  uploadFile: { allowed: CREATORS, call: async () => ({ method: 'POST', path: '/v1/files' }), allowedStatus: 422 },
  // Files of another organization are 404 to a party and a tenant: they reach documents through contracts.
  downloadFile: { allowed: ROLES, call: async (ctx) => ({ method: 'GET', path: `/v1/files/${await uploaded(ctx)}` }) },
  downloadContractDocument: {
    allowed: [...ROLES, 'party'],
    call: async (ctx) => {
      const sha256 = await uploaded(ctx);
      const c = await ctx.owner.client.contracts.create({
        title: 'Matrix',
        parties: [{ did: ctx.party.key.did, role: 'signer' }],
        documents: [{ name: 'a.txt', sha256 }],
      });
      return { method: 'GET', path: `/v1/contracts/${c.id}/documents/${sha256}` };
    },
  },
  // A member or party may ask; the enclave then refuses this fixture's proof (the caller's own check).
  readConfidentialTerms: {
    allowed: [...ROLES, 'party'],
    allowedStatus: 422,
    call: async (ctx) => {
      const enclave = await attestEnclave(ctx.owner.client, {
        roots: [(await request(api, 'GET', '/v1/enclave')).json.rootCertificate],
      });
      const c = await ctx.owner.client.contracts.create({
        title: 'Matrix, confidential',
        confidentialTerms: await sealConfidentialTerms({ secret: 1 }, enclave, ctx.orgId),
        parties: [{ did: ctx.party.key.did, role: 'signer' }],
      });
      return {
        method: 'POST',
        path: `/v1/contracts/${c.id}/confidential-terms/read`,
        body: { recipientPublicKey: 'A'.repeat(43), proof: 'not-a-proof-of-anything' },
      };
    },
  },
  getContractHistory: {
    allowed: [...ROLES, 'party'],
    call: async (ctx) => ({ method: 'GET', path: `/v1/contracts/${(await contract(ctx)).id}/history` }),
  },
  updateContract: {
    allowed: WRITERS,
    call: async (ctx) => ({
      method: 'PATCH',
      path: `/v1/contracts/${(await contract(ctx)).id}`,
      body: { title: 'Changed' },
    }),
  },
  sendContract: {
    allowed: WRITERS,
    call: async (ctx) => ({ method: 'POST', path: `/v1/contracts/${(await contract(ctx)).id}/send` }),
  },
  voidContract: {
    allowed: WRITERS,
    call: async (ctx) => ({
      method: 'POST',
      path: `/v1/contracts/${(await contract(ctx)).id}/void`,
      body: { reason: 'no' },
    }),
  },
  // A draft cannot be terminated (409), but only managers get that far.
  terminateContract: {
    allowed: MANAGERS,
    call: async (ctx) => ({
      method: 'POST',
      path: `/v1/contracts/${(await contract(ctx)).id}/terminate`,
      body: { reason: 'no' },
    }),
  },
  // Only the contract's parties decline; members of the owning organization who are not parties may not.
  declineContract: {
    allowed: ['party'],
    call: async (ctx) => ({
      method: 'POST',
      path: `/v1/contracts/${(await contract(ctx, { send: true })).id}/decline`,
      body: { reason: 'no' },
    }),
  },

  // Templates are the organization's: every role reads and previews them, managers edit them; a party of
  // one of its contracts and another tenant get 404 (`createTemplate` is in the caller's own organization).
  createTemplate: {
    allowed: [...MANAGERS, 'party', 'tenant'],
    call: async () => ({ method: 'POST', path: '/v1/templates', body: { name: 'Mine', body: 'x' } }),
  },
  listTemplates: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/templates' }) },
  getTemplate: {
    allowed: ROLES,
    call: async (ctx) => ({ method: 'GET', path: `/v1/templates/${(await template(ctx)).id}` }),
  },
  updateTemplate: {
    allowed: MANAGERS,
    call: async (ctx) => ({
      method: 'PATCH',
      path: `/v1/templates/${(await template(ctx)).id}`,
      body: { name: 'Changed' },
    }),
  },
  publishTemplate: {
    allowed: MANAGERS,
    call: async (ctx) => ({
      method: 'POST',
      path: `/v1/templates/${(await template(ctx, { publish: false })).id}/publish`,
    }),
  },
  archiveTemplate: {
    allowed: MANAGERS,
    call: async (ctx) => ({ method: 'POST', path: `/v1/templates/${(await template(ctx)).id}/archive` }),
  },
  listTemplateVersions: {
    allowed: ROLES,
    call: async (ctx) => ({ method: 'GET', path: `/v1/templates/${(await template(ctx)).id}/versions` }),
  },
  getTemplateVersion: {
    allowed: ROLES,
    call: async (ctx) => ({ method: 'GET', path: `/v1/templates/${(await template(ctx)).id}/versions/1` }),
  },
  previewTemplate: {
    allowed: ROLES,
    call: async (ctx) => ({
      method: 'POST',
      path: `/v1/templates/${(await template(ctx)).id}/preview`,
      body: { variables: { who: 'you' } },
    }),
  },
  // Webhooks are the organization's: managers configure them, auditors read them; a party and another
  // tenant get 404 (`createWebhookEndpoint` and the list are in the caller's own organization).
  createWebhookEndpoint: {
    allowed: [...MANAGERS, 'party', 'tenant'],
    call: async () => ({ method: 'POST', path: '/v1/webhooks', body: { url: 'https://hooks.example.com/cms' } }),
  },
  listWebhookEndpoints: {
    allowed: [...MANAGERS, 'auditor', 'party', 'tenant'],
    call: async () => ({ method: 'GET', path: '/v1/webhooks' }),
  },
  getWebhookEndpoint: {
    allowed: [...MANAGERS, 'auditor'],
    call: async (ctx) => ({ method: 'GET', path: `/v1/webhooks/${await webhook(ctx)}` }),
  },
  updateWebhookEndpoint: {
    allowed: MANAGERS,
    call: async (ctx) => ({
      method: 'PATCH',
      path: `/v1/webhooks/${await webhook(ctx)}`,
      body: { description: 'Changed' },
    }),
  },
  deleteWebhookEndpoint: {
    allowed: MANAGERS,
    call: async (ctx) => ({ method: 'DELETE', path: `/v1/webhooks/${await webhook(ctx)}` }),
  },
  rotateWebhookSecret: {
    allowed: MANAGERS,
    call: async (ctx) => ({
      method: 'POST',
      path: `/v1/webhooks/${await webhook(ctx)}/secrets`,
      body: { graceSeconds: 60 },
    }),
  },
  testWebhookEndpoint: {
    allowed: MANAGERS,
    call: async (ctx) => ({ method: 'POST', path: `/v1/webhooks/${await webhook(ctx)}/test` }),
  },
  listWebhookDeliveries: {
    allowed: [...MANAGERS, 'auditor'],
    call: async (ctx) => ({ method: 'GET', path: `/v1/webhooks/${await webhook(ctx)}/deliveries` }),
  },
  getWebhookDelivery: {
    allowed: [...MANAGERS, 'auditor'],
    call: async (ctx) => ({ method: 'GET', path: await webhookDelivery(ctx) }),
  },
  retryWebhookDelivery: {
    allowed: MANAGERS,
    call: async (ctx) => ({ method: 'POST', path: `${await webhookDelivery(ctx)}/retry` }),
  },
  replayWebhookEvents: {
    allowed: MANAGERS,
    call: async (ctx) => ({
      method: 'POST',
      path: `/v1/webhooks/${await webhook(ctx)}/replay`,
      body: { from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' },
    }),
  },
  getWebhookJwks: { allowed: 'public', call: async () => ({ method: 'GET', path: '/.well-known/webhook-keys.json' }) },

  // Every caller may open a stream; what each one receives is tested in events.api.test.ts.
  streamEvents: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/events' }) },

  getLedgerStatus: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/ledger/status' }) },
  // No batch exists without a chain: an authorized caller gets past to the 404.
  getLedgerBatch: {
    // A batch is visible to the organizations with an event in it: here only the owner's.
    allowed: ROLES,
    call: async (ctx) => ({ method: 'GET', path: `/v1/ledger/batches/${await batchOfOneEvent(ctx)}` }),
  },
  getLedgerEventProof: {
    allowed: ROLES,
    call: async (ctx) => {
      const c = await contract(ctx);
      const [event] = await server.services.database.db
        .select({ id: auditEvents.id })
        .from(auditEvents)
        .where(eq(auditEvents.resourceId, c.id));
      return { method: 'GET', path: `/v1/ledger/events/${event!.id}` };
    },
  },
  // Each caller reads its own organization's trail: party and tenant own theirs.
  listAuditEvents: {
    allowed: [...MANAGERS, 'auditor', 'party', 'tenant'],
    call: async () => ({ method: 'GET', path: '/v1/audit/events' }),
  },
  verifyAuditTrail: {
    allowed: [...MANAGERS, 'auditor', 'party', 'tenant'],
    call: async () => ({ method: 'GET', path: '/v1/audit/verify' }),
  },
  exportAuditTrail: {
    allowed: [...MANAGERS, 'auditor', 'party', 'tenant'],
    call: async () => ({ method: 'GET', path: '/v1/audit/export' }),
  },
  // Only the deployment's operators (CMS_OPERATOR_DIDS, none here), whatever their roles: test/admin.api.test.ts.
  listAllOrganizations: { allowed: [], call: async () => ({ method: 'GET', path: '/v1/admin/organizations' }) },
};

beforeAll(async () => {
  server = await startTestServer({ enclave: testEnclave() });
  // In process (app.request): authorization does not depend on the socket, and 350 calls skip the network.
  api = { url: server.url, fetch: inProcessFetch(server) };
  owner = await loggedInClient(api);
  orgId = owner.token.organizationId;
  party = await loggedInClient(api);
  callers.owner = owner;
  for (const role of ['admin', 'member', 'auditor', 'viewer'] as const)
    callers[role] = await memberOf(api, owner.client, orgId, role);
  callers.party = party;
  callers.tenant = await loggedInClient(api);
}, 180_000);
afterAll(() => server?.close());

const isAllowed = (e: Expectation, who: Caller | 'anonymous') =>
  e.allowed === 'public' || (who !== 'anonymous' && (e.allowed === 'everyone' || e.allowed.includes(who)));

describe('the spec', () => {
  it('declares x-cms-permission on every operation, and this table covers every operation', () => {
    const spec = parse(readFileSync(new URL('../../../openapi/cms.yaml', import.meta.url), 'utf8'));
    const declared: string[] = [];
    for (const [path, item] of Object.entries<Record<string, { operationId: string; 'x-cms-permission'?: unknown }>>(
      spec.paths,
    )) {
      for (const [method, op] of Object.entries(item)) {
        expect(typeof op['x-cms-permission'], `${method.toUpperCase()} ${path}`).toBe('string');
        declared.push(op.operationId);
      }
    }
    expect(Object.keys(EXPECTED).sort()).toEqual(declared.sort());
    expect(Object.keys(operationPolicies).sort()).toEqual(declared.sort());
  });
});

describe.each(Object.keys(operationPolicies) as OperationId[])('%s', (operationId) => {
  const expectation = EXPECTED[operationId];

  it.each([...CALLERS, 'anonymous' as const])('as %s', async (who) => {
    const caller = who === 'anonymous' ? owner : callers[who];
    const call = await expectation.call({ caller, owner, party, orgId });
    const token = who === 'anonymous' ? undefined : (call.token ?? caller.client.auth.accessToken);
    const res = await request(api, call.method, call.path, { body: call.body, token });
    const label = `${operationId} as ${who}: ${res.status} ${res.json?.code ?? ''} ${res.json?.detail ?? ''}`;
    if (isAllowed(expectation, who)) {
      if (expectation.allowedStatus) expect(res.status, label).toBe(expectation.allowedStatus);
      else expect([401, 403, 404], label).not.toContain(res.status);
    } else {
      expect([401, 403, 404], label).toContain(res.status);
      expect(res.headers.get('content-type'), label).toBe('application/problem+json');
      if (who === 'anonymous') expect(res.json.code, label).toBe('unauthenticated');
    }
  });
});

describe('another tenant', () => {
  it('never sees the organization’s contracts or the organization itself', async () => {
    const secret = await owner.client.contracts.create({ title: 'Secret' });
    const outsider = await loggedInClient(api);
    const token = outsider.client.auth.accessToken;
    expect((await request(api, 'GET', '/v1/contracts?limit=100', { token })).text).not.toContain(secret.id);
    expect((await request(api, 'GET', '/v1/organizations', { token })).text).not.toContain(orgId);
    expect((await request(api, 'GET', '/v1/invitations', { token })).json).toEqual({ data: [] });
  });

  it('never sees or uses the organization’s templates', async () => {
    const secret = await template({ caller: owner, owner, party, orgId });
    const outsider = await loggedInClient(api);
    const token = outsider.client.auth.accessToken;
    expect((await request(api, 'GET', '/v1/templates?limit=100', { token })).text).not.toContain(secret.id);
    for (const [method, path, body] of [
      ['GET', `/v1/templates/${secret.id}`],
      ['PATCH', `/v1/templates/${secret.id}`, { name: 'Mine now' }],
      ['POST', `/v1/templates/${secret.id}/publish`],
      ['POST', `/v1/templates/${secret.id}/archive`],
      ['GET', `/v1/templates/${secret.id}/versions`],
      ['GET', `/v1/templates/${secret.id}/versions/1`],
      ['POST', `/v1/templates/${secret.id}/preview`, {}],
    ] as const) {
      expect((await request(api, method, path, { token, body })).status, `${method} ${path}`).toBe(404);
    }
    // An outsider creating a contract from it gets the same answer as for a template that does not exist.
    const create = await request(api, 'POST', '/v1/contracts', {
      token,
      body: { template: { id: secret.id }, parties: { Client: { did: outsider.key.did } } },
    });
    expect([create.status, create.json.code]).toEqual([422, 'invalid_reference']);
    expect((await owner.client.templates.get(secret.id)).revision).toBe(2);
  });
});

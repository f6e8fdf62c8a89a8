// Every operation of openapi/cms.yaml × every role of the owning organization, anonymous, a party of
// the contract from another organization, and another tenant, against a hand-written allow/deny table.
// An operation the table does not cover, or one without `x-cms-permission`, fails this test.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createDidProof, didKeySigner, generateDidKey, signPayload, type Role } from '@cms/sdk';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../src/db/schema/index.js';
import { eq } from 'drizzle-orm';
import { operationPolicies, type OperationId } from '../src/generated/routes.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, memberOf, request } from './api-helpers.js';

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
let owner: User;
let party: User;
let orgId: string;
const callers = {} as Record<Caller, User>;

async function contract(ctx: Ctx, options: { send?: boolean } = {}) {
  const c = await ctx.owner.client.contracts.create({ title: 'Matrix', parties: [{ did: ctx.party.key.did, role: 'signer' }] });
  if (options.send) await ctx.owner.client.contracts.send(c.id);
  return c;
}
async function proofFor(signer: Awaited<ReturnType<typeof didKeySigner>>) {
  const challenge = (await request(server.url, 'POST', '/v1/auth/challenge', { body: { did: signer.did } })).json;
  return createDidProof(signer, challenge);
}
const freshSigner = async () => didKeySigner((await generateDidKey()).privateKey);
const victim = async (ctx: Ctx) => (await memberOf(server.url, ctx.owner.client, ctx.orgId, 'viewer')).token.userId;

const EXPECTED: Record<OperationId, Expectation> = {
  getHealth: { allowed: 'public', call: async () => ({ method: 'GET', path: '/healthz' }) },
  getReadiness: { allowed: 'public', call: async () => ({ method: 'GET', path: '/readyz' }) },
  // Guarded by its own token or, without one, by a loopback peer (this test's): see metrics.api.test.ts.
  getMetrics: { allowed: 'public', call: async () => ({ method: 'GET', path: '/metrics' }) },
  getStatus: { allowed: 'public', call: async () => ({ method: 'GET', path: '/v1/status' }) },
  getJwks: { allowed: 'public', call: async () => ({ method: 'GET', path: '/.well-known/jwks.json' }) },
  createAuthChallenge: { allowed: 'public', call: async () => ({ method: 'POST', path: '/v1/auth/challenge', body: { did: (await generateDidKey()).did } }) },
  createAuthToken: { allowed: 'public', call: async () => ({ method: 'POST', path: '/v1/auth/token', body: await proofFor(await freshSigner()) }) },
  refreshAuthToken: {
    allowed: 'public',
    call: async () => ({ method: 'POST', path: '/v1/auth/refresh', body: { refreshToken: (await loggedInClient(server.url)).token.refreshToken } }),
  },

  logout: {
    allowed: 'everyone',
    call: async ({ caller }) => {
      const { createCmsClient } = await import('@cms/sdk');
      const second = createCmsClient({ baseUrl: server.url });
      await second.auth.login(caller.signer, { organizationId: caller.token.organizationId });
      return { method: 'POST', path: '/v1/auth/logout', token: second.auth.accessToken };
    },
  },
  listSessions: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/auth/sessions' }) },
  // The target is a session of the organization's owner: only its own user may end it.
  revokeSession: {
    allowed: ['owner'],
    call: async ({ owner: o }) => {
      const { createCmsClient } = await import('@cms/sdk');
      const other = createCmsClient({ baseUrl: server.url });
      const t = await other.auth.login(o.signer);
      return { method: 'DELETE', path: `/v1/auth/sessions/${t.sessionId}` };
    },
  },
  getMe: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/me' }) },
  addDid: { allowed: 'everyone', call: async () => ({ method: 'POST', path: '/v1/me/dids', body: await proofFor(await freshSigner()) }) },
  removeDid: {
    allowed: 'everyone',
    call: async ({ caller }) => {
      const signer = await freshSigner();
      await caller.client.me.addDid(signer);
      return { method: 'DELETE', path: `/v1/me/dids/${encodeURIComponent(signer.did)}` };
    },
  },
  listOrganizations: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/organizations' }) },
  createOrganization: { allowed: 'everyone', call: async () => ({ method: 'POST', path: '/v1/organizations', body: { name: 'Another' } }) },
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
  listMembers: { allowed: ['owner', 'admin', 'member', 'auditor'], call: async (ctx) => ({ method: 'GET', path: `/v1/organizations/${ctx.orgId}/members` }) },
  listInvitations: { allowed: ['owner', 'admin', 'member', 'auditor'], call: async (ctx) => ({ method: 'GET', path: `/v1/organizations/${ctx.orgId}/invitations` }) },
  listServiceAccounts: { allowed: ['owner', 'admin', 'member', 'auditor'], call: async (ctx) => ({ method: 'GET', path: `/v1/organizations/${ctx.orgId}/service-accounts` }) },
  updateMember: {
    allowed: MANAGERS,
    call: async (ctx) => ({ method: 'PATCH', path: `/v1/organizations/${ctx.orgId}/members/${await victim(ctx)}`, body: { role: 'member' } }),
  },
  removeMember: { allowed: MANAGERS, call: async (ctx) => ({ method: 'DELETE', path: `/v1/organizations/${ctx.orgId}/members/${await victim(ctx)}` }) },
  createInvitation: {
    allowed: MANAGERS,
    call: async (ctx) => ({ method: 'POST', path: `/v1/organizations/${ctx.orgId}/invitations`, body: { did: (await generateDidKey()).did, role: 'viewer' } }),
  },
  revokeInvitation: {
    allowed: MANAGERS,
    call: async (ctx) => {
      const invitation = await ctx.owner.client.invitations.create(ctx.orgId, { did: (await generateDidKey()).did, role: 'viewer' });
      return { method: 'DELETE', path: `/v1/organizations/${ctx.orgId}/invitations/${invitation.id}` };
    },
  },
  createServiceAccount: {
    allowed: MANAGERS,
    call: async (ctx) => ({ method: 'POST', path: `/v1/organizations/${ctx.orgId}/service-accounts`, body: { name: 'bot', did: (await generateDidKey()).did, role: 'viewer' } }),
  },

  // Lists are of the caller's own organization; that other tenants' rows stay out is checked below.
  listContracts: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/contracts' }) },
  createContract: { allowed: CREATORS, call: async () => ({ method: 'POST', path: '/v1/contracts', body: { title: 'Mine' } }) },
  getContract: { allowed: [...ROLES, 'party'], call: async (ctx) => ({ method: 'GET', path: `/v1/contracts/${(await contract(ctx)).id}` }) },
  // Signing is for parties only: each caller signs as itself; members who are not parties are refused.
  getSigningPayload: { allowed: ['party'], call: async (ctx) => ({ method: 'GET', path: `/v1/contracts/${(await contract(ctx, { send: true })).id}/signing-payload` }) },
  submitSignature: {
    allowed: ['party'],
    call: async (ctx) => {
      const c = await contract(ctx, { send: true });
      const signer = await didKeySigner(ctx.caller.key.privateKey);
      const payload = { type: 'cms.signature.v1' as const, contractId: c.id, version: c.version, contentHash: c.contentHash, signer: signer.did, role: 'signer' as const, intent: 'sign' as const, signedAt: new Date().toISOString() };
      return { method: 'POST', path: `/v1/contracts/${c.id}/signatures`, body: await signPayload(signer, payload) };
    },
  },
  getContractEvidence: { allowed: [...ROLES, 'party'], call: async (ctx) => ({ method: 'GET', path: `/v1/contracts/${(await contract(ctx)).id}/evidence` }) },
  getContractHistory: { allowed: [...ROLES, 'party'], call: async (ctx) => ({ method: 'GET', path: `/v1/contracts/${(await contract(ctx)).id}/history` }) },
  updateContract: { allowed: WRITERS, call: async (ctx) => ({ method: 'PATCH', path: `/v1/contracts/${(await contract(ctx)).id}`, body: { title: 'Changed' } }) },
  sendContract: { allowed: WRITERS, call: async (ctx) => ({ method: 'POST', path: `/v1/contracts/${(await contract(ctx)).id}/send` }) },
  voidContract: { allowed: WRITERS, call: async (ctx) => ({ method: 'POST', path: `/v1/contracts/${(await contract(ctx)).id}/void`, body: { reason: 'no' } }) },
  // A draft cannot be terminated (409), but only managers get that far.
  terminateContract: { allowed: MANAGERS, call: async (ctx) => ({ method: 'POST', path: `/v1/contracts/${(await contract(ctx)).id}/terminate`, body: { reason: 'no' } }) },
  // Only the contract's parties decline; members of the owning organization who are not parties may not.
  declineContract: { allowed: ['party'], call: async (ctx) => ({ method: 'POST', path: `/v1/contracts/${(await contract(ctx, { send: true })).id}/decline`, body: { reason: 'no' } }) },

  // Every caller may open a stream; what each one receives is tested in events.api.test.ts.
  streamEvents: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/events' }) },

  getLedgerStatus: { allowed: 'everyone', call: async () => ({ method: 'GET', path: '/v1/ledger/status' }) },
  // No batch exists without a chain: an authorized caller gets past to the 404.
  getLedgerBatch: { allowed: 'everyone', allowedStatus: 404, call: async () => ({ method: 'GET', path: `/v1/ledger/batches/${randomUUID()}` }) },
  getLedgerEventProof: {
    allowed: ROLES,
    call: async (ctx) => {
      const c = await contract(ctx);
      const [event] = await server.services.database.db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.resourceId, c.id));
      return { method: 'GET', path: `/v1/ledger/events/${event!.id}` };
    },
  },
};

beforeAll(async () => {
  server = await startTestServer();
  owner = await loggedInClient(server.url);
  orgId = owner.token.organizationId;
  party = await loggedInClient(server.url);
  callers.owner = owner;
  for (const role of ['admin', 'member', 'auditor', 'viewer'] as const) callers[role] = await memberOf(server.url, owner.client, orgId, role);
  callers.party = party;
  callers.tenant = await loggedInClient(server.url);
}, 180_000);
afterAll(() => server?.close());

const isAllowed = (e: Expectation, who: Caller | 'anonymous') =>
  e.allowed === 'public' || (who !== 'anonymous' && (e.allowed === 'everyone' || e.allowed.includes(who)));

describe('the spec', () => {
  it('declares x-cms-permission on every operation, and this table covers every operation', () => {
    const spec = parse(readFileSync(new URL('../../../openapi/cms.yaml', import.meta.url), 'utf8'));
    const declared: string[] = [];
    for (const [path, item] of Object.entries<Record<string, { operationId: string; 'x-cms-permission'?: unknown }>>(spec.paths)) {
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
    const res = await request(server.url, call.method, call.path, { body: call.body, token });
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
    const outsider = await loggedInClient(server.url);
    const token = outsider.client.auth.accessToken;
    expect((await request(server.url, 'GET', '/v1/contracts?limit=100', { token })).text).not.toContain(secret.id);
    expect((await request(server.url, 'GET', '/v1/organizations', { token })).text).not.toContain(orgId);
    expect((await request(server.url, 'GET', '/v1/invitations', { token })).json).toEqual({ data: [] });
  });
});

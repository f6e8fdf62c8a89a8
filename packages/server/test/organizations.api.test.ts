// Users with several DIDs, organizations, members and roles, invitations and service accounts, and
// the tenant boundary between organizations.
import {
  CmsConflictError,
  CmsNotFoundError,
  CmsPermissionError,
  createCmsClient,
  didKeySigner,
  generateDidKey,
} from '@cms/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, memberOf, request } from './api-helpers.js';

let server: TestServer;
let owner: Awaited<ReturnType<typeof loggedInClient>>;
let orgId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await loggedInClient(server.url);
  const org = await owner.client.organizations.create({ name: 'ACME Legal' });
  orgId = org.id;
  await owner.client.auth.refresh({ organizationId: orgId });
});
afterAll(() => server?.close());

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e) => e,
  );

describe('organizations', () => {
  it('makes the creator the owner and lists it among the caller’s organizations', async () => {
    const orgs = await owner.client.organizations.list();
    expect(orgs.map((o) => [o.name, o.role])).toEqual([
      [expect.stringMatching(/^Personal \(did:key:/), 'owner'],
      ['ACME Legal', 'owner'],
    ]);
    expect(await owner.client.organizations.get(orgId)).toMatchObject({ id: orgId, name: 'ACME Legal' });
    const whoami = await owner.client.me.get();
    expect(whoami).toMatchObject({
      kind: 'person',
      did: owner.key.did,
      organizationId: orgId,
      roles: ['owner'],
      dids: [{ did: owner.key.did }],
    });
  });

  it('hides another organization as not found from outsiders', async () => {
    const outsider = await loggedInClient(server.url);
    expect(await errorOf(outsider.client.organizations.get(orgId))).toBeInstanceOf(CmsNotFoundError);
    expect(await errorOf(outsider.client.members.list(orgId))).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('refuses a token of another organization with 403, even to a member of both', async () => {
    const personal = (await owner.client.organizations.list()).find((o) => o.name.startsWith('Personal'))!;
    const other = createCmsClient({ baseUrl: server.url });
    await other.auth.login(owner.signer, { organizationId: personal.id });
    expect(await errorOf(other.members.list(orgId))).toMatchObject({
      status: 403,
      code: 'forbidden',
      details: {
        detail: `This access token is for another organization; refresh with organizationId ${orgId} to work in this one.`,
      },
    });
    expect(
      await errorOf(other.invitations.create(orgId, { did: (await generateDidKey()).did, role: 'viewer' })),
    ).toMatchObject({ status: 403 });
    await other.auth.refresh({ organizationId: orgId });
    expect((await other.members.list(orgId)).length).toBeGreaterThan(0);
  });

  it('refuses to log in or switch into an organization the user does not belong to', async () => {
    const outsider = await loggedInClient(server.url);
    expect(await errorOf(outsider.client.auth.refresh({ organizationId: orgId }))).toMatchObject({
      status: 403,
      code: 'not_a_member',
    });
    // A refused switch leaves the session usable.
    expect((await outsider.client.me.get()).organizationId).toBe(outsider.token.organizationId);
    const fresh = createCmsClient({ baseUrl: server.url });
    expect(await errorOf(fresh.auth.login(outsider.signer, { organizationId: orgId }))).toMatchObject({
      status: 403,
      code: 'not_a_member',
    });
  });
});

describe('invitations', () => {
  it('lets the holder of the invited DID join with the role, proving control of that DID', async () => {
    const invitee = await loggedInClient(server.url);
    const invitation = await owner.client.invitations.create(orgId, { did: invitee.key.did, role: 'auditor' });
    expect(invitation).toMatchObject({
      organizationId: orgId,
      organizationName: 'ACME Legal',
      did: invitee.key.did,
      role: 'auditor',
      status: 'pending',
      invitedBy: owner.key.did,
    });
    expect(Date.parse(invitation.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect((await invitee.client.invitations.listMine()).map((i) => i.id)).toEqual([invitation.id]);

    const joined = await invitee.client.invitations.accept(invitation.id, invitee.signer);
    expect(joined).toMatchObject({ id: orgId, name: 'ACME Legal', role: 'auditor' });
    const token = await invitee.client.auth.refresh({ organizationId: orgId });
    expect(token).toMatchObject({ organizationId: orgId, roles: ['auditor'] });
    expect((await owner.client.invitations.list(orgId)).find((i) => i.id === invitation.id)?.status).toBe('accepted');
    expect(await errorOf(invitee.client.invitations.accept(invitation.id, invitee.signer))).toMatchObject({
      status: 409,
      code: 'invitation_closed',
    });
  });

  it('cannot be accepted with a proof for another DID', async () => {
    const invitee = await loggedInClient(server.url);
    const mallory = await loggedInClient(server.url);
    const invitation = await owner.client.invitations.create(orgId, { did: invitee.key.did, role: 'admin' });
    expect(await errorOf(mallory.client.invitations.accept(invitation.id, mallory.signer))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    // Nor with the invited DID's proof replayed: the challenge is single use.
    expect(await errorOf(mallory.client.invitations.accept(invitation.id, invitee.signer))).toMatchObject({
      status: 409,
      code: 'did_in_use',
    });
  });

  it('keeps one open invitation per DID under concurrent invites', async () => {
    const did = (await generateDidKey()).did;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => owner.client.invitations.create(orgId, { did, role: 'viewer' })),
    );
    expect(results).toHaveLength(5);
    const open = (await owner.client.invitations.list(orgId)).filter((i) => i.did === did && i.status === 'pending');
    expect(open.map((i) => i.id)).toEqual([
      results
        .map((r) => r.id)
        .sort()
        .at(-1),
    ]);
  });

  it('links an invited DID nobody has yet to the accepting user', async () => {
    const user = await loggedInClient(server.url);
    const second = await generateDidKey();
    const secondSigner = await didKeySigner(second.privateKey);
    const invitation = await owner.client.invitations.create(orgId, { did: second.did, role: 'viewer' });
    await user.client.invitations.accept(invitation.id, secondSigner);
    expect((await user.client.me.get()).dids.map((d) => d.did)).toEqual([user.key.did, second.did]);
  });

  it('can be revoked while pending; only owners invite owners; members are not invited twice', async () => {
    const invitee = await loggedInClient(server.url);
    const invitation = await owner.client.invitations.create(orgId, { did: invitee.key.did, role: 'member' });
    await owner.client.invitations.revoke(orgId, invitation.id);
    expect(await errorOf(invitee.client.invitations.accept(invitation.id, invitee.signer))).toMatchObject({
      code: 'invitation_closed',
    });
    expect(await errorOf(owner.client.invitations.revoke(orgId, invitation.id))).toMatchObject({
      code: 'invitation_closed',
    });

    const admin = await memberOf(server.url, owner.client, orgId, 'admin');
    expect(
      await errorOf(admin.client.invitations.create(orgId, { did: invitee.key.did, role: 'owner' })),
    ).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await errorOf(admin.client.invitations.create(orgId, { did: owner.key.did, role: 'member' }))).toMatchObject(
      { status: 409, code: 'already_member' },
    );
  });
});

describe('members and roles', () => {
  it('changes a role: the member’s current token is refused until refreshed, then carries the new role', async () => {
    const member = await memberOf(server.url, owner.client, orgId, 'viewer');
    const updated = await owner.client.members.setRole(orgId, member.token.userId, 'member');
    expect(updated).toMatchObject({
      userId: member.token.userId,
      role: 'member',
      kind: 'person',
      dids: [member.key.did],
    });
    const stale = await request(server.url, 'GET', '/v1/me', { token: member.token.accessToken });
    expect(stale.json).toMatchObject({ status: 401, code: 'invalid_token' });
    expect((await member.client.auth.refresh()).roles).toEqual(['member']);
  });

  it('removes a member: their tokens stop working at once and they cannot refresh back in', async () => {
    const member = await memberOf(server.url, owner.client, orgId, 'member');
    const { token } = member;
    await owner.client.members.remove(orgId, token.userId);
    const access = await request(server.url, 'GET', '/v1/contracts', { token: token.accessToken });
    expect(access.json).toMatchObject({
      status: 401,
      code: 'invalid_token',
      detail: 'The session has ended; log in again.',
    });
    const refreshed = await request(server.url, 'POST', '/v1/auth/refresh', {
      body: { refreshToken: token.refreshToken },
    });
    expect(refreshed.json).toMatchObject({ status: 401, code: 'invalid_refresh_token' });
    // Logging in again lands in their own organization, not in the one they left.
    const again = createCmsClient({ baseUrl: server.url });
    expect(await errorOf(again.auth.login(member.signer, { organizationId: orgId }))).toMatchObject({
      status: 403,
      code: 'not_a_member',
    });
    expect((await owner.client.members.list(orgId)).map((m) => m.userId)).not.toContain(token.userId);
  });

  it('keeps the last owner, and only owners touch owners', async () => {
    const ownerId = owner.token.userId;
    expect(await errorOf(owner.client.members.setRole(orgId, ownerId, 'admin'))).toBeInstanceOf(CmsConflictError);
    expect(await errorOf(owner.client.members.remove(orgId, ownerId))).toMatchObject({
      status: 409,
      code: 'last_owner',
    });
    const admin = await memberOf(server.url, owner.client, orgId, 'admin');
    expect(await errorOf(admin.client.members.setRole(orgId, ownerId, 'viewer'))).toMatchObject({
      status: 403,
      code: 'forbidden',
      details: { detail: 'Only an owner grants or takes away the owner role.' },
    });
    expect(await errorOf(admin.client.members.remove(orgId, ownerId))).toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    const viewer = await memberOf(server.url, owner.client, orgId, 'viewer');
    expect(await errorOf(viewer.client.members.remove(orgId, admin.token.userId))).toBeInstanceOf(CmsPermissionError);
  });

  it('audits membership changes in the organization’s chain', async () => {
    const { auditEvents } = await import('../src/db/schema/index.js');
    const { eq } = await import('drizzle-orm');
    const actionsOf = async (organizationId: string) =>
      new Set(
        (
          await server.services.database.db
            .select({ action: auditEvents.action })
            .from(auditEvents)
            .where(eq(auditEvents.organizationId, organizationId))
        ).map((r) => r.action),
      );
    const acme = await actionsOf(orgId);
    for (const a of [
      'organization.created',
      'invitation.created',
      'member.added',
      'member.role_changed',
      'member.removed',
      'invitation.revoked',
    ])
      expect(acme).toContain(a);
    expect(await actionsOf(owner.token.organizationId)).toContain('auth.login');
  });
});

describe('DIDs of a user', () => {
  it('adds a DID with proof of control, logs in with either, and removes one (ending its sessions)', async () => {
    const user = await loggedInClient(server.url);
    const second = await generateDidKey();
    const signer2 = await didKeySigner(second.privateKey);
    const dids = await user.client.me.addDid(signer2);
    expect(dids.map((d) => d.did)).toEqual([user.key.did, second.did]);
    const viaSecond = createCmsClient({ baseUrl: server.url });
    const token2 = await viaSecond.auth.login(signer2);
    expect(token2.userId).toBe(user.token.userId);

    await user.client.me.removeDid(second.did);
    expect(await errorOf(viaSecond.me.get())).toMatchObject({ status: 401 });
    expect(await errorOf(user.client.me.removeDid(user.key.did))).toMatchObject({ status: 409, code: 'last_did' });
  });

  it('refuses a DID that belongs to someone else', async () => {
    const user = await loggedInClient(server.url);
    const other = await loggedInClient(server.url);
    expect(await errorOf(user.client.me.addDid(other.signer))).toMatchObject({ status: 409, code: 'did_in_use' });
  });
});

describe('service accounts', () => {
  it('log in with their own DID into their organization only, and stop when removed', async () => {
    const key = await generateDidKey();
    const account = await owner.client.serviceAccounts.create(orgId, { name: 'CI bot', did: key.did, role: 'member' });
    expect(account).toMatchObject({ name: 'CI bot', did: key.did, role: 'member' });
    expect((await owner.client.serviceAccounts.list(orgId)).map((a) => a.userId)).toContain(account.userId);
    expect((await owner.client.members.list(orgId)).find((m) => m.userId === account.userId)).toMatchObject({
      kind: 'service',
      name: 'CI bot',
    });

    const bot = createCmsClient({ baseUrl: server.url });
    const token = await bot.auth.login(await didKeySigner(key.privateKey));
    expect(token).toMatchObject({ userId: account.userId, organizationId: orgId, roles: ['member'] });
    expect((await bot.contracts.create({ title: 'Automated NDA' })).organizationId).toBe(orgId);
    expect(await errorOf(bot.organizations.create({ name: 'Bot corp' }))).toMatchObject({
      status: 403,
      code: 'forbidden',
    });

    await owner.client.members.remove(orgId, account.userId);
    expect(await errorOf(bot.me.get())).toMatchObject({ status: 401 });
    expect(
      await errorOf(createCmsClient({ baseUrl: server.url }).auth.login(await didKeySigner(key.privateKey))),
    ).toMatchObject({ status: 403, code: 'not_a_member' });
  });

  it('cannot take a DID that already has a user, nor be owners', async () => {
    expect(
      await errorOf(owner.client.serviceAccounts.create(orgId, { name: 'x', did: owner.key.did, role: 'member' })),
    ).toMatchObject({ code: 'did_in_use' });
    const key = await generateDidKey();
    expect(
      await errorOf(owner.client.serviceAccounts.create(orgId, { name: 'x', did: key.did, role: 'owner' })),
    ).toMatchObject({ code: 'forbidden' });
  });
});

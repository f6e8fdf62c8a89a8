// Organizations, members, invitations, service accounts and linked DIDs, through the SDK against a real server.
import { CmsNotFoundError, CmsPermissionError, createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';
import { sharedTestServer, type TestServer } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DidKeyUser, didKeyUser, errorOf } from './users.js';

let server: TestServer;
let owner: DidKeyUser;
let orgId: string;
beforeAll(async () => {
  server = await sharedTestServer();
  owner = await didKeyUser(server.url);
  orgId = (await owner.client.organizations.create({ name: 'SDK Legal' })).id;
  await owner.client.auth.refresh({ organizationId: orgId });
});
afterAll(() => server?.close());

describe('organizations', () => {
  it('creates, lists and reads organizations, and switches into one', async () => {
    expect((await owner.client.organizations.list()).map((o) => [o.name, o.role])).toContainEqual([
      'SDK Legal',
      'owner',
    ]);
    expect(await owner.client.organizations.get(orgId)).toMatchObject({ id: orgId, name: 'SDK Legal' });
    expect(await owner.client.me.get()).toMatchObject({ did: owner.did, organizationId: orgId, roles: ['owner'] });
  });
});

describe('members and invitations', () => {
  it('invites a DID, which accepts with proof; the owner changes its role and removes it', async () => {
    const invitee = await didKeyUser(server.url);
    const invitation = await owner.client.invitations.create(orgId, { did: invitee.did, role: 'viewer' });
    expect(invitation).toMatchObject({ did: invitee.did, role: 'viewer', status: 'pending' });
    expect((await owner.client.invitations.list(orgId)).map((i) => i.id)).toContain(invitation.id);
    expect((await invitee.client.invitations.listMine()).map((i) => i.id)).toEqual([invitation.id]);

    expect(await invitee.client.invitations.accept(invitation.id, invitee.signer)).toMatchObject({
      id: orgId,
      role: 'viewer',
    });
    await invitee.client.auth.refresh({ organizationId: orgId });
    const member = (await owner.client.members.list(orgId)).find((m) => m.dids.includes(invitee.did))!;
    expect(member).toMatchObject({ role: 'viewer' });

    // A viewer may not invite.
    expect(
      await errorOf(invitee.client.invitations.create(orgId, { did: (await generateDidKey()).did, role: 'viewer' })),
    ).toBeInstanceOf(CmsPermissionError);

    expect(await owner.client.members.setRole(orgId, member.userId, 'member')).toMatchObject({ role: 'member' });
    await owner.client.members.remove(orgId, member.userId);
    expect((await owner.client.members.list(orgId)).map((m) => m.userId)).not.toContain(member.userId);
  });

  it('revokes a pending invitation', async () => {
    const invitation = await owner.client.invitations.create(orgId, {
      did: (await generateDidKey()).did,
      role: 'member',
    });
    await owner.client.invitations.revoke(orgId, invitation.id);
    expect((await owner.client.invitations.list(orgId)).find((i) => i.id === invitation.id)?.status).not.toBe(
      'pending',
    );
  });

  it('hides an organization from outsiders as not found', async () => {
    const outsider = await didKeyUser(server.url);
    expect(await errorOf(outsider.client.organizations.get(orgId))).toBeInstanceOf(CmsNotFoundError);
  });
});

describe('service accounts', () => {
  it('creates a service account that logs in with its own key into the organization only', async () => {
    const key = await generateDidKey();
    const account = await owner.client.serviceAccounts.create(orgId, { name: 'SDK bot', did: key.did, role: 'member' });
    expect((await owner.client.serviceAccounts.list(orgId)).map((a) => a.userId)).toContain(account.userId);

    const bot = createCmsClient({ baseUrl: server.url });
    expect(await bot.auth.login(await didKeySigner(key.privateKey))).toMatchObject({
      userId: account.userId,
      organizationId: orgId,
      roles: ['member'],
    });
    expect((await bot.contracts.create({ title: 'Automated NDA' })).organizationId).toBe(orgId);
  });
});

describe('linked DIDs', () => {
  it('adds a second DID with proof of control, logs in with it, and removes it', async () => {
    const user = await didKeyUser(server.url);
    const second = await generateDidKey();
    const secondSigner = await didKeySigner(second.privateKey);
    expect((await user.client.me.addDid(secondSigner)).map((d) => d.did)).toEqual(
      expect.arrayContaining([user.did, second.did]),
    );
    const other = createCmsClient({ baseUrl: server.url });
    expect((await other.auth.login(secondSigner)).userId).toBe((await user.client.me.get()).userId);
    await user.client.me.removeDid(second.did);
    expect((await user.client.me.get()).dids.map((d) => d.did)).toEqual([user.did]);
  });
});

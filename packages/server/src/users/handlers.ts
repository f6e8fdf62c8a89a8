import { AppError } from '../errors/app-error.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import {
  acceptInvitation,
  createInvitation,
  listInvitations,
  listMyInvitations,
  revokeInvitation,
} from './invitations.js';
import { listMembers, removeMember, updateMemberRole } from './members.js';
import { createOrganization, getOrganization, listMyOrganizations } from './organizations.js';
import { createServiceAccount, listServiceAccounts, userKind } from './service-accounts.js';
import { addDid, listDids, removeDid } from './user-dids.js';

type UserOperations =
  | 'getMe'
  | 'addDid'
  | 'removeDid'
  | 'listOrganizations'
  | 'createOrganization'
  | 'getOrganization'
  | 'listMembers'
  | 'updateMember'
  | 'removeMember'
  | 'listInvitations'
  | 'createInvitation'
  | 'revokeInvitation'
  | 'listServiceAccounts'
  | 'createServiceAccount'
  | 'listMyInvitations'
  | 'acceptInvitation';

export function userHandlers(
  s: Pick<Services, 'database' | 'didResolver' | 'proofs' | 'sessions'>,
): Pick<OperationHandlers, UserOperations> {
  const db = s.database.db;
  const personOnly = async (userId: string, what: string) => {
    if ((await userKind(db, userId)) === 'service') throw new AppError('forbidden', `Service accounts cannot ${what}.`);
  };

  return {
    getMe: async (c) => {
      const p = c.get('principal');
      const [kind, dids, organizations] = await Promise.all([
        userKind(db, p.userId),
        listDids(db, p.userId),
        listMyOrganizations(db, p.userId),
      ]);
      return c.json(
        {
          userId: p.userId,
          kind,
          did: p.did,
          dids,
          organizationId: p.organizationId,
          roles: p.roles,
          sessionId: p.sessionId,
          organizations,
        },
        200,
      );
    },
    addDid: async (c) => {
      const p = c.get('principal');
      await personOnly(p.userId, 'add DIDs');
      const did = await s.proofs.verify(c.req.valid('json'));
      return c.json({ data: await addDid(db, p.userId, did) }, 201);
    },
    removeDid: async (c) => {
      const p = c.get('principal');
      const { did } = c.req.valid('param');
      await removeDid(db, p.userId, did);
      await s.sessions.revokeWhere(p.userId, (session) => session.did === did);
      return c.body(null, 204);
    },

    listOrganizations: async (c) => c.json({ data: await listMyOrganizations(db, c.get('principal').userId) }, 200),
    createOrganization: async (c) => {
      const p = c.get('principal');
      await personOnly(p.userId, 'create organizations');
      return c.json(await createOrganization(db, p, c.req.valid('json').name), 201);
    },
    getOrganization: async (c) =>
      c.json(await getOrganization(db, c.get('principal'), c.req.valid('param').organizationId), 200),

    listMembers: async (c) =>
      c.json({ data: await listMembers(db, c.get('principal'), c.req.valid('param').organizationId) }, 200),
    updateMember: async (c) => {
      const { organizationId, userId } = c.req.valid('param');
      const { role } = c.req.valid('json');
      const member = await updateMemberRole(db, c.get('principal'), organizationId, userId, role);
      // Live sessions carry the new role; their current access tokens are refused until refreshed.
      await s.sessions.updateWhere(
        userId,
        (x) => x.organizationId === organizationId,
        (x) => ({ ...x, roles: [role] }),
      );
      return c.json(member, 200);
    },
    removeMember: async (c) => {
      const { organizationId, userId } = c.req.valid('param');
      await removeMember(db, c.get('principal'), organizationId, userId);
      await s.sessions.revokeWhere(userId, (x) => x.organizationId === organizationId);
      return c.body(null, 204);
    },

    listInvitations: async (c) =>
      c.json({ data: await listInvitations(db, c.get('principal'), c.req.valid('param').organizationId) }, 200),
    createInvitation: async (c) =>
      c.json(
        await createInvitation(db, c.get('principal'), c.req.valid('param').organizationId, c.req.valid('json')),
        201,
      ),
    revokeInvitation: async (c) => {
      const { organizationId, invitationId } = c.req.valid('param');
      await revokeInvitation(db, c.get('principal'), organizationId, invitationId);
      return c.body(null, 204);
    },
    listMyInvitations: async (c) => c.json({ data: await listMyInvitations(db, c.get('principal').userId) }, 200),
    acceptInvitation: async (c) => {
      const { invitationId } = c.req.valid('param');
      const did = await s.proofs.verify(c.req.valid('json'));
      return c.json(await acceptInvitation(db, c.get('principal'), invitationId, did), 200);
    },

    listServiceAccounts: async (c) =>
      c.json({ data: await listServiceAccounts(db, c.get('principal'), c.req.valid('param').organizationId) }, 200),
    createServiceAccount: async (c) => {
      const body = c.req.valid('json');
      s.didResolver.assertSupported(body.did);
      return c.json(await createServiceAccount(db, c.get('principal'), c.req.valid('param').organizationId, body), 201);
    },
  };
}

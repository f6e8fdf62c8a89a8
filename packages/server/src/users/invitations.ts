// Invitations by DID: an admin invites a DID with a role; whoever proves control of that DID accepts
// and becomes a member. A pending invitation past its expiry reads as `expired`.
import { and, desc, eq, gt, inArray } from 'drizzle-orm';
import { recordEvent } from '../audit/record-event.js';
import type { Role } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { invitations, memberships, organizations, userDids, users } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import { AppError } from '../errors/app-error.js';
import type { Invitation, MyOrganization } from '../generated/schemas.js';
import { userOfDid } from './login-user.js';
import { assertOwnOrganization } from './organization-scope.js';

type Row = typeof invitations.$inferSelect & { organizationName: string };

const view = (r: Row, now = Date.now()): Invitation => ({
  id: r.id,
  organizationId: r.organizationId,
  organizationName: r.organizationName,
  did: r.did,
  role: r.role,
  status: r.status === 'pending' && r.expiresAt.getTime() <= now ? 'expired' : r.status,
  invitedBy: r.invitedBy,
  createdAt: r.createdAt.toISOString(),
  expiresAt: r.expiresAt.toISOString(),
  acceptedAt: r.acceptedAt?.toISOString() ?? null,
});

const selectWithName = (db: Db) =>
  db
    .select({ invitation: invitations, organizationName: organizations.name })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId));
const flatten = (rows: { invitation: typeof invitations.$inferSelect; organizationName: string }[]) =>
  rows.map((r) => view({ ...r.invitation, organizationName: r.organizationName }));

export async function createInvitation(
  db: Db,
  principal: Principal,
  organizationId: string,
  input: { did: string; role: Role; expiresInDays: number },
): Promise<Invitation> {
  await assertOwnOrganization(db, principal, organizationId);
  if (input.role === 'owner' && !principal.roles.includes('owner'))
    throw new AppError('forbidden', 'Only an owner invites an owner.');
  const id = await db.transaction(async (tx) => {
    // Serializes invitations of one organization: replacing the open invitation of a DID is then race-free.
    await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
      .for('update');
    const existingUser = await userOfDid(tx, input.did);
    if (existingUser) {
      const [member] = await tx
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, existingUser)));
      if (member) throw new AppError('already_member', `${input.did} is already a member.`);
    }
    // A new invitation for the same DID replaces the open one.
    await tx
      .update(invitations)
      .set({ status: 'revoked' })
      .where(
        and(
          eq(invitations.organizationId, organizationId),
          eq(invitations.did, input.did),
          eq(invitations.status, 'pending'),
        ),
      );
    const invitationId = uuidv7();
    await tx.insert(invitations).values({
      id: invitationId,
      organizationId,
      did: input.did,
      role: input.role,
      invitedBy: principal.did,
      expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
    });
    await recordEvent(tx, {
      organizationId,
      actorDid: principal.did,
      action: 'invitation.created',
      resource: { type: 'invitation', id: invitationId },
      data: { did: input.did, role: input.role },
      anchor: false,
    });
    return invitationId;
  });
  return (await getInvitation(db, id))!;
}

async function getInvitation(db: Db, id: string): Promise<Invitation | undefined> {
  return flatten(await selectWithName(db).where(eq(invitations.id, id)))[0];
}

export async function listInvitations(db: Db, principal: Principal, organizationId: string): Promise<Invitation[]> {
  await assertOwnOrganization(db, principal, organizationId);
  return flatten(
    await selectWithName(db)
      .where(eq(invitations.organizationId, organizationId))
      .orderBy(desc(invitations.createdAt))
      .limit(500),
  );
}

export async function revokeInvitation(
  db: Db,
  principal: Principal,
  organizationId: string,
  invitationId: string,
): Promise<void> {
  await assertOwnOrganization(db, principal, organizationId);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ status: 'revoked' })
      .where(
        and(
          eq(invitations.id, invitationId),
          eq(invitations.organizationId, organizationId),
          eq(invitations.status, 'pending'),
        ),
      )
      .returning({ did: invitations.did });
    if (!row) {
      const [any] = await tx
        .select({ id: invitations.id })
        .from(invitations)
        .where(and(eq(invitations.id, invitationId), eq(invitations.organizationId, organizationId)));
      throw any
        ? new AppError('invitation_closed', 'Only a pending invitation can be revoked.')
        : new AppError('not_found', `No invitation ${invitationId}.`);
    }
    await recordEvent(tx, {
      organizationId,
      actorDid: principal.did,
      action: 'invitation.revoked',
      resource: { type: 'invitation', id: invitationId },
      data: { did: row.did },
      anchor: false,
    });
  });
}

/** Pending, unexpired invitations to any DID of the user. */
export async function listMyInvitations(db: Db, userId: string): Promise<Invitation[]> {
  const dids = (await db.select({ did: userDids.did }).from(userDids).where(eq(userDids.userId, userId))).map(
    (r) => r.did,
  );
  if (dids.length === 0) return [];
  return flatten(
    await selectWithName(db)
      .where(
        and(inArray(invitations.did, dids), eq(invitations.status, 'pending'), gt(invitations.expiresAt, new Date())),
      )
      .orderBy(desc(invitations.createdAt)),
  );
}

/**
 * Accepts an invitation for `provenDid`, whose control the caller has just proven. The DID is linked
 * to the caller when no user has it yet; a DID of another user cannot accept for the caller.
 */
export async function acceptInvitation(
  db: Db,
  principal: Principal,
  invitationId: string,
  provenDid: string,
): Promise<MyOrganization> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(invitations).where(eq(invitations.id, invitationId)).for('update');
    // An invitation to another DID is invisible, exactly like a missing one.
    if (!row || row.did !== provenDid)
      throw new AppError('not_found', `No invitation ${invitationId} for ${provenDid}.`);
    if (row.status !== 'pending' || row.expiresAt.getTime() <= Date.now())
      throw new AppError(
        'invitation_closed',
        `The invitation is ${row.status === 'pending' ? 'expired' : row.status}.`,
      );
    const [user] = await tx.select({ kind: users.kind }).from(users).where(eq(users.id, principal.userId));
    if (user?.kind === 'service') throw new AppError('forbidden', 'Service accounts do not accept invitations.');
    // Links the DID unless someone has it (a concurrent first login of it may win the primary key).
    await tx.insert(userDids).values({ did: provenDid, userId: principal.userId }).onConflictDoNothing();
    if ((await userOfDid(tx, provenDid)) !== principal.userId)
      throw new AppError('did_in_use', 'That DID belongs to another user; log in with it to accept.');
    const [joined] = await tx
      .insert(memberships)
      .values({ organizationId: row.organizationId, userId: principal.userId, role: row.role })
      .onConflictDoNothing()
      .returning({ role: memberships.role });
    if (!joined) throw new AppError('already_member', 'You are already a member of this organization.');
    await tx
      .update(invitations)
      .set({ status: 'accepted', acceptedBy: principal.userId, acceptedAt: new Date() })
      .where(eq(invitations.id, invitationId));
    await recordEvent(tx, {
      organizationId: row.organizationId,
      actorDid: provenDid,
      action: 'member.added',
      resource: { type: 'user', id: principal.userId },
      data: { role: row.role, invitationId, invitedBy: row.invitedBy },
      anchor: false,
    });
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, row.organizationId));
    return { id: org!.id, name: org!.name, createdAt: org!.createdAt.toISOString(), role: row.role };
  });
}

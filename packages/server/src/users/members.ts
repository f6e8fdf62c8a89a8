// Members of the caller's organization: list, change a role, remove. Owners are protected: only an
// owner grants, takes away or removes `owner`, and the last owner stays.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { recordEvent } from '../audit/record-event.js';
import type { Role } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import type { Db, Tx } from '../db/database.js';
import { memberships, userDids, users } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { Member } from '../generated/schemas.js';
import { assertOwnOrganization } from './organization-scope.js';

export async function listMembers(db: Db, principal: Principal, organizationId: string): Promise<Member[]> {
  await assertOwnOrganization(db, principal, organizationId);
  const rows = await db
    .select({
      userId: memberships.userId,
      role: memberships.role,
      joinedAt: memberships.createdAt,
      kind: users.kind,
      name: users.name,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(memberships.createdAt));
  const dids = await didsOf(
    db,
    rows.map((r) => r.userId),
  );
  return rows.map((r) => ({ ...r, joinedAt: r.joinedAt.toISOString(), dids: dids.get(r.userId) ?? [] }));
}

export async function didsOf(db: Db | Tx, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (userIds.length === 0) return map;
  const rows = await db
    .select()
    .from(userDids)
    .where(inArray(userDids.userId, userIds))
    .orderBy(asc(userDids.createdAt));
  for (const r of rows) map.set(r.userId, [...(map.get(r.userId) ?? []), r.did]);
  return map;
}

export async function updateMemberRole(
  db: Db,
  principal: Principal,
  organizationId: string,
  userId: string,
  role: Role,
): Promise<Member> {
  await assertOwnOrganization(db, principal, organizationId);
  await db.transaction(async (tx) => {
    const current = await lockMembership(tx, organizationId, userId);
    if (current === role) return;
    if ((current === 'owner' || role === 'owner') && !principal.roles.includes('owner')) {
      throw new AppError('forbidden', 'Only an owner grants or takes away the owner role.');
    }
    if (current === 'owner') await assertAnotherOwner(tx, organizationId, userId);
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
    await recordEvent(tx, {
      organizationId,
      actorDid: principal.did,
      action: 'member.role_changed',
      resource: { type: 'user', id: userId },
      data: { from: current, to: role },
      anchor: false,
    });
  });
  const member = (await listMembers(db, principal, organizationId)).find((m) => m.userId === userId);
  return member!;
}

export async function removeMember(
  db: Db,
  principal: Principal,
  organizationId: string,
  userId: string,
): Promise<void> {
  await assertOwnOrganization(db, principal, organizationId);
  await db.transaction(async (tx) => {
    const current = await lockMembership(tx, organizationId, userId);
    if (current === 'owner') {
      if (!principal.roles.includes('owner')) throw new AppError('forbidden', 'Only an owner removes an owner.');
      await assertAnotherOwner(tx, organizationId, userId);
    }
    await tx
      .delete(memberships)
      .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
    await recordEvent(tx, {
      organizationId,
      actorDid: principal.did,
      action: 'member.removed',
      resource: { type: 'user', id: userId },
      data: { role: current },
      anchor: false,
    });
  });
}

async function lockMembership(tx: Tx, organizationId: string, userId: string): Promise<Role> {
  const [row] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
    .for('update');
  if (!row) throw new AppError('not_found', `No member ${userId}.`);
  return row.role;
}

// Serialized by locking every owner row, so two owners demoting each other cannot both succeed.
async function assertAnotherOwner(tx: Tx, organizationId: string, userId: string): Promise<void> {
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, 'owner')))
    .for('update');
  if (!owners.some((o) => o.userId !== userId)) throw new AppError('last_owner', 'Make someone else an owner first.');
}

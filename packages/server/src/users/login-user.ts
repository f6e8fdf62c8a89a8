// Finds (or, on a DID's first login, creates) the user behind a DID and the organization the login
// is for. A new DID gets a person user and a personal organization it owns.
import { and, asc, eq } from 'drizzle-orm';
import { recordEvent } from '../audit/record-event.js';
import type { Role } from '../auth/permissions.js';
import type { Db, Tx } from '../db/database.js';
import { memberships, organizations, userDids, users } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import { AppError } from '../errors/app-error.js';

export interface LoginTarget {
  userId: string;
  organizationId: string;
  role: Role;
}

export async function loginUser(db: Db, did: string, options: { organizationId?: string } = {}): Promise<LoginTarget> {
  return db.transaction(async (tx) => {
    const userId = (await userOfDid(tx, did)) ?? (await createPersonUser(tx, did));
    const target = await membershipFor(tx, userId, { organizationId: options.organizationId });
    await recordEvent(tx, {
      organizationId: target.organizationId,
      actorDid: did,
      action: 'auth.login',
      resource: { type: 'user', id: userId },
      data: { role: target.role },
      anchor: false,
    });
    return target;
  });
}

export async function userOfDid(tx: Tx | Db, did: string): Promise<string | undefined> {
  const [row] = await tx.select({ userId: userDids.userId }).from(userDids).where(eq(userDids.did, did));
  return row?.userId;
}

/** The membership a session of `userId` works in: `organizationId`, or the user's first organization. */
export async function membershipFor(
  tx: Tx | Db,
  userId: string,
  { organizationId }: { organizationId?: string } = {},
): Promise<LoginTarget> {
  const [membership] = await tx
    .select({ organizationId: memberships.organizationId, role: memberships.role })
    .from(memberships)
    .where(
      organizationId
        ? and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId))
        : eq(memberships.userId, userId),
    )
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!membership) {
    throw new AppError(
      'not_a_member',
      organizationId ? `Not a member of organization ${organizationId}.` : 'This account belongs to no organization.',
    );
  }
  return { userId, organizationId: membership.organizationId, role: membership.role };
}

async function createPersonUser(tx: Tx, did: string): Promise<string> {
  const userId = uuidv7();
  await tx.insert(users).values({ id: userId, kind: 'person' });
  // Two first logins of one DID may race: the primary key on user_dids lets exactly one link win.
  const [linked] = await tx
    .insert(userDids)
    .values({ did, userId })
    .onConflictDoNothing()
    .returning({ userId: userDids.userId });
  if (!linked) {
    await tx.delete(users).where(eq(users.id, userId));
    return (await userOfDid(tx, did))!;
  }
  const organizationId = uuidv7();
  await tx.insert(organizations).values({ id: organizationId, name: `Personal (${shortDid(did)})` });
  await tx.insert(memberships).values({ organizationId, userId, role: 'owner' });
  await recordEvent(tx, {
    organizationId,
    actorDid: did,
    action: 'organization.created',
    resource: { type: 'organization', id: organizationId },
    data: { personal: true },
    anchor: false,
  });
  return userId;
}

const shortDid = (did: string) => (did.length > 24 ? `${did.slice(0, 16)}…${did.slice(-6)}` : did);

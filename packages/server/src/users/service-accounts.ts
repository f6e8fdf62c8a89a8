// Service accounts: non-person members for automation. The organization registers the DID whose key
// the automation holds; the account then logs in like anyone else, into this organization only.
import { and, asc, eq } from 'drizzle-orm';
import { recordEvent } from '../audit/record-event.js';
import type { Role } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { memberships, userDids, users } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import { AppError } from '../errors/app-error.js';
import type { ServiceAccount } from '../generated/schemas.js';
import { userOfDid } from './login-user.js';
import { assertOwnOrganization } from './organization-scope.js';

export async function createServiceAccount(
  db: Db,
  principal: Principal,
  organizationId: string,
  input: { name: string; did: string; role: Role },
): Promise<ServiceAccount> {
  await assertOwnOrganization(db, principal, organizationId);
  if (input.role === 'owner') throw new AppError('forbidden', 'A service account cannot be an owner.');
  return db.transaction(async (tx) => {
    if (await userOfDid(tx, input.did)) throw new AppError('did_in_use', `${input.did} already belongs to a user.`);
    const userId = uuidv7();
    const [user] = await tx.insert(users).values({ id: userId, kind: 'service', name: input.name }).returning();
    const [linked] = await tx.insert(userDids).values({ did: input.did, userId }).onConflictDoNothing().returning();
    if (!linked) throw new AppError('did_in_use', `${input.did} already belongs to a user.`);
    await tx.insert(memberships).values({ organizationId, userId, role: input.role });
    await recordEvent(tx, {
      organizationId,
      actorDid: principal.did,
      action: 'member.added',
      resource: { type: 'user', id: userId },
      data: { role: input.role, kind: 'service', name: input.name, did: input.did },
      anchor: false,
    });
    return { userId, name: input.name, did: input.did, role: input.role, createdAt: user!.createdAt.toISOString() };
  });
}

export async function listServiceAccounts(
  db: Db,
  principal: Principal,
  organizationId: string,
): Promise<ServiceAccount[]> {
  await assertOwnOrganization(db, principal, organizationId);
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      did: userDids.did,
      role: memberships.role,
      createdAt: users.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(userDids, eq(userDids.userId, users.id))
    .where(and(eq(memberships.organizationId, organizationId), eq(users.kind, 'service')))
    .orderBy(asc(users.createdAt));
  return rows.map((r) => ({ ...r, name: r.name ?? '', createdAt: r.createdAt.toISOString() }));
}

export async function userKind(db: Db, userId: string): Promise<'person' | 'service'> {
  const [row] = await db.select({ kind: users.kind }).from(users).where(eq(users.id, userId));
  return row?.kind ?? 'person';
}

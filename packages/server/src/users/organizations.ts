// Organizations: create (the creator becomes owner), list the caller's, read the current one.
import { asc, eq } from 'drizzle-orm';
import { recordEvent } from '../audit/record-event.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { memberships, organizations } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import type { MyOrganization, Organization } from '../generated/schemas.js';
import { assertOwnOrganization } from './organization-scope.js';

export async function createOrganization(db: Db, principal: Principal, name: string): Promise<MyOrganization> {
  return db.transaction(async (tx) => {
    const id = uuidv7();
    const [org] = await tx.insert(organizations).values({ id, name }).returning();
    await tx.insert(memberships).values({ organizationId: id, userId: principal.userId, role: 'owner' });
    await recordEvent(tx, {
      organizationId: id,
      actorDid: principal.did,
      action: 'organization.created',
      resource: { type: 'organization', id },
      data: { name, owner: principal.userId },
      anchor: false,
    });
    return { id, name: org!.name, createdAt: org!.createdAt.toISOString(), role: 'owner' as const };
  });
}

export async function listMyOrganizations(db: Db, userId: string): Promise<MyOrganization[]> {
  const rows = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      createdAt: organizations.createdAt,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

export async function getOrganization(db: Db, principal: Principal, organizationId: string): Promise<Organization> {
  await assertOwnOrganization(db, principal, organizationId);
  const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
  return { id: org!.id, name: org!.name, createdAt: org!.createdAt.toISOString() };
}

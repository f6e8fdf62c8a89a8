// First login of a DID creates its user and a personal organization it owns.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { memberships, organizations, users } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import type { Principal } from '../auth/principal.js';

export async function ensureUser(db: Db, did: string): Promise<Principal> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.did, did));
    let userId = existing?.id;
    if (!userId) {
      // Two first logins of one DID may race: the unique index lets exactly one insert win.
      const [created] = await tx.insert(users).values({ id: uuidv7(), did }).onConflictDoNothing().returning({ id: users.id });
      if (created) {
        const organizationId = uuidv7();
        await tx.insert(organizations).values({ id: organizationId, name: `Personal (${shortDid(did)})` });
        await tx.insert(memberships).values({ organizationId, userId: created.id, role: 'owner' });
        return { userId: created.id, did, organizationId, roles: ['owner'] };
      }
      const [winner] = await tx.select({ id: users.id }).from(users).where(eq(users.did, did));
      userId = winner!.id;
    }
    const [membership] = await tx
      .select({ organizationId: memberships.organizationId, role: memberships.role })
      .from(memberships)
      .where(eq(memberships.userId, userId))
      .orderBy(asc(memberships.createdAt))
      .limit(1);
    if (!membership) throw new Error(`user ${userId} has no organization`);
    return { userId, did, organizationId: membership.organizationId, roles: [membership.role] };
  });
}

const shortDid = (did: string) => (did.length > 24 ? `${did.slice(0, 16)}…${did.slice(-6)}` : did);

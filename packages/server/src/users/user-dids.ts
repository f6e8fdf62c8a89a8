// The DIDs of a user: several per user (each added with proof of control), at least one always.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { userDids } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { UserDid } from '../generated/schemas.js';
import { userOfDid } from './login-user.js';

export async function listDids(db: Db, userId: string): Promise<UserDid[]> {
  const rows = await db.select().from(userDids).where(eq(userDids.userId, userId)).orderBy(asc(userDids.createdAt));
  return rows.map((r) => ({ did: r.did, addedAt: r.createdAt.toISOString() }));
}

/** Links `did` (whose control was just proven) to the user. */
export async function addDid(db: Db, userId: string, did: string): Promise<UserDid[]> {
  const [linked] = await db.insert(userDids).values({ did, userId }).onConflictDoNothing().returning();
  if (!linked && (await userOfDid(db, did)) !== userId)
    throw new AppError('did_in_use', `${did} already belongs to another user.`);
  return listDids(db, userId);
}

export async function removeDid(db: Db, userId: string, did: string): Promise<void> {
  await db.transaction(async (tx) => {
    // Locks the user's DIDs so two concurrent removals cannot leave none.
    const dids = await tx.select({ did: userDids.did }).from(userDids).where(eq(userDids.userId, userId)).for('update');
    if (!dids.some((d) => d.did === did)) throw new AppError('not_found', `${did} is not one of your DIDs.`);
    if (dids.length === 1) throw new AppError('last_did', 'Add another DID before removing this one.');
    await tx.delete(userDids).where(eq(userDids.did, did));
  });
}

// Login challenges: a random nonce per request, stored hashed, consumed at most once.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { authChallenges } from '../db/schema/index.js';

export const CHALLENGE_TTL_SECONDS = 300;

const hashNonce = (nonce: string) => createHash('sha256').update(nonce).digest('hex');

export async function createChallenge(db: Db, did: string): Promise<{ nonce: string; expiresAt: Date }> {
  const nonce = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000);
  // Expired challenges are useless; sweeping them here keeps the table small without a scheduler.
  await db.delete(authChallenges).where(lt(authChallenges.expiresAt, new Date(Date.now() - 60_000)));
  await db.insert(authChallenges).values({ nonceHash: hashNonce(nonce), did, expiresAt });
  return { nonce, expiresAt };
}

/** Marks the challenge used; true only for the first caller with an unexpired challenge of `did`. */
export async function consumeChallenge(db: Db, did: string, nonce: string): Promise<boolean> {
  const used = await db
    .update(authChallenges)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(authChallenges.nonceHash, hashNonce(nonce)),
        eq(authChallenges.did, did),
        isNull(authChallenges.usedAt),
        gt(authChallenges.expiresAt, new Date()),
      ),
    )
    .returning({ did: authChallenges.did });
  return used.length === 1;
}

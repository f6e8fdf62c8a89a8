// Tenant isolation for organization-scoped paths: an access token works in exactly one organization.
// Another organization is `not_found`, indistinguishable from one that does not exist, unless the caller
// is a member of it too (and so knows it exists): then 403 says to switch the session first.
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db, Tx } from '../db/database.js';
import { memberships } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';

export async function assertOwnOrganization(db: Db | Tx, principal: Principal, organizationId: string): Promise<void> {
  if (principal.organizationId === organizationId) return;
  const [member] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, principal.userId)));
  if (member) {
    throw new AppError(
      'forbidden',
      `This access token is for another organization; refresh with organizationId ${organizationId} to work in this one.`,
    );
  }
  throw new AppError('not_found', `No organization ${organizationId}.`);
}

// Operations across organizations, for the deployment's operators (`x-cms-permission: operator`).
import { asc, count, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { contracts, memberships, organizations } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { AdminOrganizationList } from '../generated/schemas.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UUID.test(id))
    throw new AppError('validation_failed', 'The cursor is not one this API returned.', {
      errors: [{ path: '/query/cursor', message: 'invalid cursor' }],
    });
  return id;
}

/** Every organization, oldest first (UUIDv7 ids), with its member and contract counts. */
export async function listAllOrganizations(
  db: Db,
  query: { limit?: number; cursor?: string },
): Promise<AdminOrganizationList> {
  const limit = query.limit ?? 50;
  const memberCount = db
    .select({ n: count() })
    .from(memberships)
    .where(sql`${memberships.organizationId} = ${organizations.id}`);
  const contractCount = db
    .select({ n: count() })
    .from(contracts)
    .where(sql`${contracts.organizationId} = ${organizations.id}`);
  const rows = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      createdAt: organizations.createdAt,
      memberCount: sql<number>`(${memberCount})`.mapWith(Number),
      contractCount: sql<number>`(${contractCount})`.mapWith(Number),
    })
    .from(organizations)
    .where(query.cursor ? gt(organizations.id, decodeCursor(query.cursor)) : undefined)
    .orderBy(asc(organizations.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    data: page.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}

export function adminHandlers(s: Pick<Services, 'database'>): Pick<OperationHandlers, 'listAllOrganizations'> {
  return {
    listAllOrganizations: async (c) => c.json(await listAllOrganizations(s.database.db, c.req.valid('query')), 200),
  };
}

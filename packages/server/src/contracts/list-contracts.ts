// Keyset pagination over UUIDv7 ids (newest first): a page never shifts when contracts are created
// meanwhile, and each page is one index range scan whatever the table size.
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { contracts } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { Principal } from '../auth/principal.js';
import type { ContractList, ContractStatus } from '../generated/schemas.js';
import { contractView } from './contract-view.js';
import { partiesByContract } from './get-contract.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const encodeCursor = (id: string) => Buffer.from(`c1:${id}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = raw.startsWith('c1:') ? raw.slice(3) : '';
  if (!UUID.test(id)) throw new AppError('validation_failed', 'The cursor is not one this API returned.', { errors: [{ path: '/query/cursor', message: 'invalid cursor' }] });
  return id;
}

export interface ListContractsQuery {
  limit: number;
  cursor?: string;
  status?: ContractStatus;
}

export async function listContracts(db: Db, principal: Principal, query: ListContractsQuery): Promise<ContractList> {
  const conditions: SQL[] = [eq(contracts.organizationId, principal.organizationId)];
  if (query.cursor) conditions.push(lt(contracts.id, decodeCursor(query.cursor)));
  if (query.status) conditions.push(eq(contracts.status, query.status));
  const rows = await db
    .select()
    .from(contracts)
    .where(and(...conditions))
    .orderBy(desc(contracts.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const parties = await partiesByContract(db, page.map((r) => r.id));
  return {
    data: page.map((r) => contractView(r, parties.get(r.id) ?? [])),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}

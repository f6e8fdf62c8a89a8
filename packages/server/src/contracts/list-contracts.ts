// Keyset pagination over UUIDv7 ids (newest first): a page never shifts when contracts are created
// meanwhile, and each page is one index range scan whatever the table size. Created-time filters
// become id bounds too, since a UUIDv7 starts with its creation millisecond.
import { and, desc, eq, exists, gte, ilike, lt, type SQL, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { contractParties, contracts } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import type { ContractList, ContractStatus } from '../generated/schemas.js';
import { contractView } from './contract-view.js';
import { partiesByContract } from './get-contract.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const encodeCursor = (id: string) => Buffer.from(`c1:${id}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = raw.startsWith('c1:') ? raw.slice(3) : '';
  if (!UUID.test(id))
    throw new AppError('validation_failed', 'The cursor is not one this API returned.', {
      errors: [{ path: '/query/cursor', message: 'invalid cursor' }],
    });
  return id;
}

/** The smallest UUIDv7 of a millisecond: ids ≥ it were created at or after that time. */
function uuidv7Floor(iso: string): string {
  const hex = Math.max(0, Date.parse(iso)).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface ListContractsQuery {
  limit: number;
  cursor?: string;
  status?: ContractStatus;
  partyDid?: string;
  createdAfter?: string;
  createdBefore?: string;
  q?: string;
  externalId?: string;
}

export async function listContracts(db: Db, principal: Principal, query: ListContractsQuery): Promise<ContractList> {
  const conditions: SQL[] = [eq(contracts.organizationId, principal.organizationId)];
  if (query.cursor) conditions.push(lt(contracts.id, decodeCursor(query.cursor)));
  if (query.status) conditions.push(eq(contracts.status, query.status));
  if (query.externalId) conditions.push(eq(contracts.externalId, query.externalId));
  if (query.createdAfter) conditions.push(gte(contracts.id, uuidv7Floor(query.createdAfter)));
  if (query.createdBefore) conditions.push(lt(contracts.id, uuidv7Floor(query.createdBefore)));
  if (query.q) conditions.push(ilike(contracts.title, `%${escapeLike(query.q)}%`));
  if (query.partyDid) {
    conditions.push(
      exists(
        sql`(select 1 from ${contractParties} where ${contractParties.contractId} = ${contracts.id} and ${contractParties.did} = ${query.partyDid})`,
      ),
    );
  }
  const rows = await db
    .select()
    .from(contracts)
    .where(and(...conditions))
    .orderBy(desc(contracts.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const parties = await partiesByContract(
    db,
    page.map((r) => r.id),
  );
  return {
    // Lists leave out a template contract's rendered body (up to 512 KiB); GET one contract for it.
    data: page.map((r) => contractView({ ...r, body: null }, parties.get(r.id) ?? [])),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}

// Rebuilds the answer to a write whose change committed but whose process died before it stored the
// response (see idempotency.ts): the operation's success status with the resource as it now is. Defined
// for the operations whose answer is that resource (the contract operations) and for those that answer
// 204 with no body; for the others the retry gets 409 `idempotency_response_lost` and reads the result.
import type { Context } from 'hono';
import { withLedgerStatus } from '../contracts/contract-ledger.js';
import { contractEtag } from '../contracts/contract-version.js';
import { getContract } from '../contracts/get-contract.js';
import type { OperationId } from '../generated/routes.js';
import * as routes from '../generated/routes.js';
import { Contract } from '../generated/schemas.js';
import type { Services } from '../services.js';
import type { AppEnv } from './app-env.js';
import type { StoredResponse } from './idempotency.js';

interface Outcome {
  status: number;
  /** The 2xx answer's body is a Contract. */
  contract: boolean;
}

/** Each operation's documented success status, read from the spec's routes. */
function outcomeOf(id: OperationId): Outcome | undefined {
  const responses = (routes[id] as { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> })
    .responses;
  const success = Object.keys(responses).find((code) => code.startsWith('2'));
  if (!success) return undefined;
  return { status: Number(success), contract: responses[success]!.content?.['application/json']?.schema === Contract };
}

export function recoverIdempotentResponse(s: Pick<Services, 'database'>) {
  return async (c: Context<AppEnv>, resource: { type: string; id: string }): Promise<StoredResponse | undefined> => {
    const outcome = outcomeOf(c.get('operationId') as OperationId);
    if (!outcome) return undefined;
    if (outcome.status === 204) return { status: 204, headers: {}, body: '' };
    if (!outcome.contract || resource.type !== 'contract') return undefined;
    const db = s.database.db;
    const [contract] = await withLedgerStatus(db, [await getContract(db, c.get('principal'), resource.id)]);
    return {
      status: outcome.status,
      headers: { 'content-type': 'application/json', etag: contractEtag(contract!) },
      body: JSON.stringify(contract),
    };
  };
}

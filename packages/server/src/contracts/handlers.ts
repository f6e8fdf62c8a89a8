import type { Context } from 'hono';
import type { Contract } from '../generated/schemas.js';
import type { AppEnv } from '../http/app-env.js';
import { CACHE_CONTROL } from '../http/cache-control.js';
import { representationOf, sendRepresentation } from '../http/conditional-get.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { afterAnchor, withLedgerStatus } from './contract-ledger.js';
import { contractEtag } from './contract-version.js';
import { createContract } from './create-contract.js';
import { getContractHistory } from './get-contract.js';
import { listContracts } from './list-contracts.js';
import { readContract } from './read-contract.js';
import { declineContract, sendContract, terminateContract, voidContract } from './transition-contract.js';
import { updateContract } from './update-contract.js';

type ContractHandlers = Pick<
  OperationHandlers,
  | 'createContract'
  | 'getContract'
  | 'listContracts'
  | 'updateContract'
  | 'sendContract'
  | 'voidContract'
  | 'declineContract'
  | 'terminateContract'
  | 'getContractHistory'
>;

/** Sets the ETag of a contract response (the same a GET of that state answers) and passes the contract through. */
const tagged = (c: Context, contract: Contract) => (c.header('ETag', contractEtag(contract)), contract);

export function contractHandlers(
  s: Pick<Services, 'database' | 'ledger' | 'responseCache' | 'enclave'>,
): ContractHandlers {
  // Writes go to the primary (the caller's write position is recorded after the response is built, see
  // http/record-writes.ts); reads may use a replica that has replayed the caller's last write.
  const db = (_c: Context<AppEnv>) => s.database.db;
  const reader = (c: Context<AppEnv>) => s.database.reader(c.get('principal').readAfter);
  return {
    createContract: async (c) => {
      const created = await createContract(db(c), c.get('principal'), c.req.valid('json'), s.enclave);
      return c.json(tagged(c, await afterAnchor(s, created, c.req.valid('query').waitForAnchor)), 201);
    },
    getContract: async (c) => {
      // A party's first read is a write (marks it viewed): on the primary, and recorded like any write.
      const read = { cache: s.responseCache, reader: reader(c), writer: () => (c.set('wrote', true), s.database.db) };
      const representation = await readContract(
        read,
        c.get('principal'),
        c.req.valid('param').contractId,
        c.req.valid('header')['if-none-match'],
      );
      return sendRepresentation(c, representation, CACHE_CONTROL.private);
    },
    listContracts: async (c) => {
      const from = reader(c);
      const page = await listContracts(from, c.get('principal'), c.req.valid('query'));
      const body = { ...page, data: await withLedgerStatus(from, page.data) };
      return sendRepresentation(
        c,
        representationOf(body, c.req.valid('header')['if-none-match']),
        CACHE_CONTROL.private,
      );
    },
    getContractHistory: async (c) => {
      const history = await getContractHistory(reader(c), c.get('principal'), c.req.valid('param').contractId);
      return sendRepresentation(
        c,
        representationOf(history, c.req.valid('header')['if-none-match']),
        CACHE_CONTROL.private,
      );
    },
    updateContract: async (c) => {
      const { contractId } = c.req.valid('param');
      const contract = await updateContract(db(c), c.get('principal'), contractId, c.req.valid('json'), {
        ifMatch: c.req.valid('header')['if-match'],
      });
      return c.json(tagged(c, contract), 200);
    },
    sendContract: async (c) => {
      const sent = await sendContract(db(c), c.get('principal'), c.req.valid('param').contractId, {
        ifMatch: c.req.valid('header')['if-match'],
      });
      return c.json(tagged(c, await afterAnchor(s, sent, c.req.valid('query').waitForAnchor)), 200);
    },
    voidContract: async (c) =>
      c.json(
        tagged(
          c,
          await voidContract(db(c), c.get('principal'), c.req.valid('param').contractId, {
            reason: c.req.valid('json').reason,
            ifMatch: c.req.valid('header')['if-match'],
          }),
        ),
        200,
      ),
    declineContract: async (c) =>
      c.json(
        tagged(
          c,
          await declineContract(db(c), c.get('principal'), c.req.valid('param').contractId, {
            reason: c.req.valid('json').reason,
            ifMatch: c.req.valid('header')['if-match'],
          }),
        ),
        200,
      ),
    terminateContract: async (c) =>
      c.json(
        tagged(
          c,
          await terminateContract(db(c), c.get('principal'), c.req.valid('param').contractId, {
            reason: c.req.valid('json').reason,
            ifMatch: c.req.valid('header')['if-match'],
          }),
        ),
        200,
      ),
  };
}

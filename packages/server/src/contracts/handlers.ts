import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import type { Contract } from '../generated/schemas.js';
import { etag } from './contract-access.js';
import { afterAnchor, withLedgerStatus } from './contract-ledger.js';
import { createContract } from './create-contract.js';
import { getContract, getContractHistory } from './get-contract.js';
import { listContracts } from './list-contracts.js';
import { declineContract, sendContract, terminateContract, voidContract } from './transition-contract.js';
import { updateContract } from './update-contract.js';

type ContractHandlers = Pick<
  OperationHandlers,
  'createContract' | 'getContract' | 'listContracts' | 'updateContract' | 'sendContract' | 'voidContract' | 'declineContract' | 'terminateContract' | 'getContractHistory'
>;

/** Sets the ETag of a contract response and passes the contract through. */
const tagged = (c: Context, contract: Contract) => (c.header('ETag', etag(contract.revision)), contract);

export function contractHandlers(s: Services): ContractHandlers {
  // Writes go to the primary and keep the writer's next reads there; other reads may use a replica.
  const db = (c: Context<AppEnv>) => (s.database.noteWrite(c.get('principal').userId), s.database.db);
  const reader = (c: Context<AppEnv>) => s.database.reader(c.get('principal').userId);
  return {
    createContract: async (c) => {
      const created = await createContract(db(c), c.get('principal'), c.req.valid('json'));
      return c.json(tagged(c, await afterAnchor(s, created, c.req.valid('query').waitForAnchor)), 201);
    },
    getContract: async (c) => {
      const [contract] = await withLedgerStatus(reader(c), [await getContract(reader(c), c.get('principal'), c.req.valid('param').contractId)]);
      return c.json(tagged(c, contract!), 200);
    },
    listContracts: async (c) => {
      const page = await listContracts(reader(c), c.get('principal'), c.req.valid('query'));
      return c.json({ ...page, data: await withLedgerStatus(reader(c), page.data) }, 200);
    },
    getContractHistory: async (c) => c.json(await getContractHistory(reader(c), c.get('principal'), c.req.valid('param').contractId), 200),
    updateContract: async (c) => {
      const { contractId } = c.req.valid('param');
      const contract = await updateContract(db(c), c.get('principal'), contractId, c.req.valid('json'), c.req.valid('header')['if-match']);
      return c.json(tagged(c, contract), 200);
    },
    sendContract: async (c) => {
      const sent = await sendContract(db(c), c.get('principal'), c.req.valid('param').contractId, c.req.valid('header')['if-match']);
      return c.json(tagged(c, await afterAnchor(s, sent, c.req.valid('query').waitForAnchor)), 200);
    },
    voidContract: async (c) =>
      c.json(tagged(c, await voidContract(db(c), c.get('principal'), c.req.valid('param').contractId, c.req.valid('json').reason, c.req.valid('header')['if-match'])), 200),
    declineContract: async (c) =>
      c.json(tagged(c, await declineContract(db(c), c.get('principal'), c.req.valid('param').contractId, c.req.valid('json').reason, c.req.valid('header')['if-match'])), 200),
    terminateContract: async (c) =>
      c.json(tagged(c, await terminateContract(db(c), c.get('principal'), c.req.valid('param').contractId, c.req.valid('json').reason, c.req.valid('header')['if-match'])), 200),
  };
}

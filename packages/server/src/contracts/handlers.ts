import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { createContract } from './create-contract.js';
import { getContract } from './get-contract.js';
import { listContracts } from './list-contracts.js';

export function contractHandlers(s: Services): Pick<OperationHandlers, 'createContract' | 'getContract' | 'listContracts'> {
  return {
    createContract: async (c) => c.json(await createContract(s.database.db, c.get('principal'), c.req.valid('json')), 201),
    getContract: async (c) => c.json(await getContract(s.database.db, c.get('principal'), c.req.valid('param').contractId), 200),
    listContracts: async (c) => c.json(await listContracts(s.database.db, c.get('principal'), c.req.valid('query')), 200),
  };
}

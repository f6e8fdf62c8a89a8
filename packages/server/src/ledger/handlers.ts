import { AppError } from '../errors/app-error.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { getLedgerBatch } from './get-batch.js';
import { ledgerProofsForEvents } from './ledger-records.js';
import { getLedgerStatus } from './ledger-status.js';

export function ledgerHandlers(s: Services): Pick<OperationHandlers, 'getLedgerStatus' | 'getLedgerBatch' | 'getLedgerEventProof'> {
  return {
    getLedgerStatus: async (c) => c.json(await getLedgerStatus(s.database.db, s.ledger), 200),
    getLedgerBatch: async (c) => c.json(await getLedgerBatch(s.database.db, c.req.valid('param').batchId), 200),
    getLedgerEventProof: async (c) => {
      const { auditEventId } = c.req.valid('param');
      const record = (await ledgerProofsForEvents(s.database.db, [auditEventId], c.get('principal').organizationId)).get(auditEventId);
      if (!record) throw new AppError('not_found', 'No such event in your organization’s ledger.');
      return c.json(record, 200);
    },
  };
}

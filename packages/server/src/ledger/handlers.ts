import { AppError } from '../errors/app-error.js';
import { CACHE_CONTROL } from '../http/cache-control.js';
import { representationOf, sendRepresentation } from '../http/conditional-get.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { getLedgerBatch } from './get-batch.js';
import { ledgerProofsForEvents } from './ledger-records.js';
import { getLedgerStatus } from './ledger-status.js';

export function ledgerHandlers(
  s: Pick<Services, 'database' | 'ledger'>,
): Pick<OperationHandlers, 'getLedgerStatus' | 'getLedgerBatch' | 'getLedgerEventProof'> {
  return {
    getLedgerStatus: async (c) => c.json(await getLedgerStatus(s.database.db, s.ledger), 200),
    getLedgerBatch: async (c) => {
      const batch = await getLedgerBatch(s.database.db, c.req.valid('param').batchId, {
        organizationId: c.get('principal').organizationId,
      });
      const cacheControl = batch.status === 'confirmed' ? CACHE_CONTROL.confirmedBatch : CACHE_CONTROL.private;
      return sendRepresentation(c, representationOf(batch, c.req.valid('header')['if-none-match']), cacheControl);
    },
    getLedgerEventProof: async (c) => {
      const { auditEventId } = c.req.valid('param');
      const record = (
        await ledgerProofsForEvents(s.database.db, [auditEventId], {
          organizationId: c.get('principal').organizationId,
        })
      ).get(auditEventId);
      if (!record) throw new AppError('not_found', 'No such event in your organization’s ledger.');
      const cacheControl = record.status === 'confirmed' ? CACHE_CONTROL.confirmedProof : CACHE_CONTROL.private;
      return sendRepresentation(c, representationOf(record, c.req.valid('header')['if-none-match']), cacheControl);
    },
  };
}

import { CACHE_CONTROL } from '../http/cache-control.js';
import { sendRepresentation } from '../http/conditional-get.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { readEvidence } from './read-evidence.js';

export function evidenceHandlers(
  s: Pick<Services, 'database' | 'responseCache'>,
): Pick<OperationHandlers, 'getContractEvidence'> {
  return {
    getContractEvidence: async (c) => {
      const principal = c.get('principal');
      const read = { cache: s.responseCache, reader: s.database.reader(principal.readAfter) };
      // Evidence changes after execution too (terminated, expired, anchors confirmed): always revalidated.
      return sendRepresentation(
        c,
        await readEvidence(read, principal, c.req.valid('param').contractId, c.req.valid('header')['if-none-match']),
        CACHE_CONTROL.private,
      );
    },
  };
}

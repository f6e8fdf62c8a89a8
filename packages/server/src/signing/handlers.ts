import { afterAnchor } from '../contracts/contract-ledger.js';
import { contractEtag } from '../contracts/contract-version.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { signingPayloadFor } from './signing-payload.js';
import { submitSignature } from './submit-signature.js';

export function signingHandlers(
  s: Pick<Services, 'database' | 'didResolver' | 'ledger'>,
): Pick<OperationHandlers, 'getSigningPayload' | 'submitSignature'> {
  return {
    getSigningPayload: async (c) =>
      c.json(
        await signingPayloadFor(
          s.database.db,
          c.get('principal'),
          c.req.valid('param').contractId,
          c.req.valid('query').intent,
        ),
        200,
      ),
    submitSignature: async (c) => {
      const principal = c.get('principal');
      const signed = await submitSignature(
        s.database.db,
        s.didResolver,
        principal,
        c.req.valid('param').contractId,
        c.req.valid('json'),
      );
      const contract = await afterAnchor(s, signed, c.req.valid('query').waitForAnchor);
      c.header('ETag', contractEtag(contract));
      return c.json(contract, 200);
    },
  };
}

import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { etag } from '../contracts/contract-access.js';
import { afterAnchor } from '../contracts/contract-ledger.js';
import { buildEvidenceBundle } from './evidence-bundle.js';
import { signingPayloadFor } from './signing-payload.js';
import { submitSignature } from './submit-signature.js';

export function signingHandlers(s: Services): Pick<OperationHandlers, 'getSigningPayload' | 'submitSignature' | 'getContractEvidence'> {
  return {
    getSigningPayload: async (c) =>
      c.json(await signingPayloadFor(s.database.db, c.get('principal'), c.req.valid('param').contractId, c.req.valid('query').intent), 200),
    submitSignature: async (c) => {
      const principal = c.get('principal');
      s.database.noteWrite(principal.userId);
      const signed = await submitSignature(s.database.db, s.didResolver, principal, c.req.valid('param').contractId, c.req.valid('json'));
      const contract = await afterAnchor(s, signed, c.req.valid('query').waitForAnchor);
      c.header('ETag', etag(contract.revision));
      return c.json(contract, 200);
    },
    getContractEvidence: async (c) => c.json(await buildEvidenceBundle(s.database.reader(c.get('principal').userId), c.get('principal'), c.req.valid('param').contractId), 200),
  };
}

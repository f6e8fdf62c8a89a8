import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { afterAnchor } from '../contracts/contract-ledger.js';
import { contractEtag } from '../contracts/contract-version.js';
import { CACHE_CONTROL } from '../http/cache-control.js';
import { sendRepresentation } from '../http/conditional-get.js';
import { readEvidence } from './read-evidence.js';
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
      c.header('ETag', contractEtag(contract));
      return c.json(contract, 200);
    },
    getContractEvidence: async (c) => {
      const principal = c.get('principal');
      const read = { cache: s.responseCache, reader: s.database.reader(principal.userId) };
      // Evidence changes after execution too (terminated, expired, anchors confirmed): always revalidated.
      return sendRepresentation(c, await readEvidence(read, principal, c.req.valid('param').contractId, c.req.valid('header')['if-none-match']), CACHE_CONTROL.private);
    },
  };
}

import { expect, it } from 'vitest';

it('exports exactly the curated public surface', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "CmsApiError",
      "CmsAuthenticationError",
      "CmsConflictError",
      "CmsConnectionError",
      "CmsError",
      "CmsNotFoundError",
      "CmsPermissionError",
      "CmsRateLimitError",
      "CmsValidationError",
      "GENESIS_HASH",
      "LOGIN_PROOF_TYPE",
      "canonicalJson",
      "computeAuditEventHash",
      "computeContentHash",
      "contractContent",
      "contractLedgerAbi",
      "createCmsClient",
      "createCompactJws",
      "createLoginProof",
      "decodeCompactJws",
      "didKeyFromPrivateKey",
      "didKeyFromPublicKey",
      "didKeySigner",
      "errorCatalogue",
      "errorClassForStatus",
      "errorFromResponse",
      "generateDidKey",
      "isCmsError",
      "ledgerLeafOf",
      "merkleRootFromProof",
      "publicKeyFromDidKey",
      "verifyAnchoredEvent",
    ]
  `);
});

import { expect, it } from 'vitest';

it('exports exactly the curated public surface', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "CONTRACT_STATUSES",
      "CmsApiError",
      "CmsAuthenticationError",
      "CmsConflictError",
      "CmsConnectionError",
      "CmsError",
      "CmsIntegrityError",
      "CmsNotFoundError",
      "CmsPermissionError",
      "CmsRateLimitError",
      "CmsTimeoutError",
      "CmsValidationError",
      "EvmVerifierRequiredError",
      "GENESIS_HASH",
      "LOGIN_PROOF_TYPE",
      "SDK_VERSION",
      "SIGNATURE_JWS_TYPE",
      "SIGNATURE_PAYLOAD_TYPE",
      "SIGNATURE_TYPED_DATA",
      "TEMPLATE_LIMITS",
      "TEMPLATE_VERSION_TYPE",
      "WebhookVerificationError",
      "canonicalJson",
      "checkAuditChain",
      "computeAuditEventHash",
      "computeContentHash",
      "computeTemplateVersionHash",
      "contractContent",
      "contractSignerDid",
      "createCmsClient",
      "createCompactJws",
      "createDidProof",
      "createLoginProof",
      "decodeCompactJws",
      "didKeyFromPrivateKey",
      "didKeyFromPublicKey",
      "didKeySigner",
      "didPkhFromAddress",
      "errorCatalogue",
      "errorClassForStatus",
      "errorFromResponse",
      "fileTokenStorage",
      "generateDidKey",
      "isCmsError",
      "ledgerBatchIdOf",
      "ledgerLeafOf",
      "memoryTokenStorage",
      "merkleRootFromProof",
      "publicKeyFromDidKey",
      "sha256Hex",
      "signCompactJws",
      "signPayload",
      "signerDid",
      "signingPayloadBytes",
      "signingTypedData",
      "templateVersionContent",
      "verifyAuditExport",
      "verifyEvidence",
      "verifyWebhook",
      "webStorageTokenStorage",
    ]
  `);
});

it('@cms/sdk/templates exports exactly its public surface', async () => {
  expect(Object.keys(await import('./templates/index.js')).sort()).toEqual([
    'TemplateRenderError',
    'escapeMarkdownText',
    'parseTemplateBody',
    'renderContractBody',
    'renderTemplate',
    'templateNames',
    'templateRenderView',
  ]);
});

it('@cms/sdk/pdf exports exactly its public surface', async () => {
  expect(Object.keys(await import('./pdf/index.js')).sort()).toEqual([
    'EVIDENCE_ATTACHMENT',
    'evidenceOfPdf',
    'isPdf',
    'pdfAttachments',
    'verifyCompletedPdf',
  ]);
});

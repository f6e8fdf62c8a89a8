import { expect, it } from 'vitest';

it('@cms/sdk/enclave exports exactly its public surface', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toEqual([
    'AWS_NITRO_ROOT_CERTIFICATE',
    'AttestationError',
    'attestEnclave',
    'confidentialCommitment',
    'readConfidentialTerms',
    'sealConfidentialTerms',
    'verifyAttestation',
    'verifyConfidentialTermsSeal',
  ]);
});

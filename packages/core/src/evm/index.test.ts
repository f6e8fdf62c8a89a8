import { expect, it } from 'vitest';

it('@cms/sdk/evm exports exactly its public surface', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toEqual([
    'contractLedgerAbi',
    'eip712SignatureProblems',
    'evmEvidenceVerifier',
    'ledgerAnchorChecker',
    'verifyAnchoredEvent',
    'verifyEvidence',
  ]);
});

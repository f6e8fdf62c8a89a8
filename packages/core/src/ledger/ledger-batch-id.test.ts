import { keccak256, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { ledgerBatchIdOf } from './ledger-batch-id.js';

describe('ledgerBatchIdOf', () => {
  const root = keccak256(toHex('a root'));

  it('is a lower-case version 8 UUID, the same for the same root and different for another', () => {
    expect(ledgerBatchIdOf(root)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ledgerBatchIdOf(root)).toBe(ledgerBatchIdOf(root));
    expect(ledgerBatchIdOf(keccak256(toHex('another root')))).not.toBe(ledgerBatchIdOf(root));
  });

  it('is keccak256 of the domain and the root, with the version and variant bits set', () => {
    const digest = keccak256(
      new Uint8Array([...new TextEncoder().encode('cms.ledger-batch.v1'), ...Buffer.from(root.slice(2), 'hex')]),
    ).slice(2, 34);
    const id = ledgerBatchIdOf(root).replace(/-/g, '');
    expect(id.slice(0, 12)).toBe(digest.slice(0, 12));
    expect(id.slice(13, 16)).toBe(digest.slice(13, 16));
    expect(id.slice(17)).toBe(digest.slice(17));
  });
});

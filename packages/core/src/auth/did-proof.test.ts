import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { expect, it } from 'vitest';
import { createDidProof, siweMessage } from './did-proof.js';

it('spells the SIWE message exactly as viem createSiweMessage does', async () => {
  const account = privateKeyToAccount(generatePrivateKey());
  const now = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  const fields = {
    address: account.address.toLowerCase() as `0x${string}`,
    chainId: 8453,
    domain: 'cms.example:8443',
    uri: 'https://cms.example:8443/v1/auth',
    nonce: 'abcDEF12345678',
    issuedAt: new Date(now),
    expirationTime: new Date(now + 120_000),
  };
  expect(siweMessage(fields)).toBe(createSiweMessage({ ...fields, version: '1', statement: 'Sign in to CMS.' }));
  const proof = await createDidProof(account, { nonce: fields.nonce, audience: fields.uri }, { chainId: 8453, now });
  expect(proof.proof).toBe(siweMessage(fields));
  expect(() => siweMessage({ ...fields, nonce: 'short' })).toThrow(TypeError);
});

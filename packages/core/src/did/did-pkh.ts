// did:pkh for Ethereum accounts (CAIP-10): `did:pkh:eip155:<chainId>:<checksummed address>`.
import { checksumAddress } from '../keccak256.js';

/**
 * The did:pkh of an Ethereum account.
 * @example
 * didPkhFromAddress('0xd8da6bf26964af9d7eed9e03e53415d37aa96045') // 'did:pkh:eip155:1:0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045'
 */
export function didPkhFromAddress(address: string, chainId = 1): string {
  if (!Number.isInteger(chainId) || chainId < 1) throw new TypeError('chainId must be a positive integer');
  return `did:pkh:eip155:${chainId}:${checksumAddress(address)}`;
}

// did:pkh for Ethereum accounts (CAIP-10): `did:pkh:eip155:<chainId>:<address>`.
import { getAddress, isAddress } from 'viem';
import { AppError } from '../errors/app-error.js';

const DID_PKH = /^did:pkh:eip155:([1-9]\d{0,17}):(0x[0-9a-fA-F]{40})$/;

export interface EthereumAccountId {
  chainId: number;
  /** EIP-55 checksummed. */
  address: `0x${string}`;
}

/** Parses a did:pkh of an Ethereum account; throws `unsupported_did_method` otherwise. */
export function parseDidPkh(did: string): EthereumAccountId {
  const m = DID_PKH.exec(did);
  if (!m || !isAddress(m[2]!, { strict: false })) {
    throw new AppError(
      'unsupported_did_method',
      'A did:pkh must name an Ethereum account: did:pkh:eip155:<chainId>:<0x address>.',
    );
  }
  return { chainId: Number(m[1]), address: getAddress(m[2]!) };
}

/** The canonical did:pkh of an account (checksummed address), so one account is one DID. */
export const didPkh = (chainId: number, address: string) => `did:pkh:eip155:${chainId}:${getAddress(address)}`;

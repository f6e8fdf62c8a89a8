// The signers a key file gives: an Ed25519 did:key signs logins and contracts (JWS); a secp256k1 key is a viem
// local account that logs in with Sign-In with Ethereum and signs contracts with EIP-712 as its did:pkh.
import { type ContractSigner, didKeySigner, type LoginSigner } from '@cms/sdk';
import { privateKeyToAccount } from 'viem/accounts';
import { type AnyKey, readAnyKeyFile } from './config-store.js';

export interface KeySigners {
  key: AnyKey;
  insecureMode: boolean;
  login: LoginSigner;
  /** The did:pkh chain, for `auth.login` / `invitations.accept` options (undefined for a did:key). */
  chainId?: number;
  contract: ContractSigner;
}

export async function signersFromKeyFile(path: string): Promise<KeySigners> {
  const { key, insecureMode } = await readAnyKeyFile(path);
  if (key.type === 'secp256k1') {
    const account = privateKeyToAccount(key.privateKey);
    return { key, insecureMode, login: account, chainId: key.chainId, contract: { account, chainId: key.chainId } };
  }
  const signer = await didKeySigner(key.privateKey);
  return { key, insecureMode, login: signer, contract: signer };
}

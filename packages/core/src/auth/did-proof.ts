// Proof of control of a DID for a login challenge: a JWS for did:key signers, a Sign-In with Ethereum
// (EIP-4361) message and its signature for Ethereum accounts (did:pkh), e.g. a viem account or a
// browser wallet.
import { didPkhFromAddress } from '../did/did-pkh.js';
import type { DidSigner } from '../did/signer.js';
import { checksumAddress } from '../keccak256.js';
import { createLoginProof } from './login-proof.js';

/** An Ethereum account that signs EIP-191 messages: a viem `LocalAccount`, or a wallet wrapped as one. */
export interface EthereumAccount {
  address: `0x${string}`;
  signMessage(args: { message: string }): Promise<`0x${string}`>;
}

/** Anything the SDK can log in with. */
export type LoginSigner = DidSigner | EthereumAccount;

export interface DidProofOptions {
  /**
   * Chain of an Ethereum account's did:pkh.
   * @default 1
   */
  chainId?: number;
}

/** What `POST /v1/auth/token`, adding a DID and accepting an invitation take as proof. */
export interface DidProof {
  proof: string;
  signature?: string;
}

/** The Sign-In with Ethereum statement shown in the wallet. */
const SIWE_STATEMENT = 'Sign in to CMS.';
const PROOF_TTL_SECONDS = 120;

export const isEthereumAccount = (signer: LoginSigner): signer is EthereumAccount =>
  typeof (signer as EthereumAccount).address === 'string' &&
  typeof (signer as EthereumAccount).signMessage === 'function';

/** The DID a signer logs in as. */
export const signerDid = (signer: LoginSigner, options: DidProofOptions = {}): string =>
  isEthereumAccount(signer) ? didPkhFromAddress(signer.address, options.chainId ?? 1) : signer.did;

/**
 * Signs the answer to a challenge from `POST /v1/auth/challenge`.
 * @example
 * const challenge = await cms.raw.POST('/v1/auth/challenge', { body: { did: signerDid(account) } });
 * const proof = await createDidProof(account, challenge.data!);
 */
export async function createDidProof(
  signer: LoginSigner,
  challenge: { nonce: string; audience: string },
  options: DidProofOptions & { now?: number } = {},
): Promise<DidProof> {
  const now = options.now ?? Date.now();
  if (!isEthereumAccount(signer)) return { proof: await createLoginProof(signer, challenge, now) };
  const audience = new URL(challenge.audience);
  const message = siweMessage({
    address: signer.address,
    chainId: options.chainId ?? 1,
    domain: audience.host,
    uri: challenge.audience,
    nonce: challenge.nonce,
    issuedAt: new Date(now),
    expirationTime: new Date(now + PROOF_TTL_SECONDS * 1000),
  });
  return { proof: message, signature: await signer.signMessage({ message }) };
}

/**
 * The EIP-4361 message, spelled exactly as viem's `createSiweMessage` spells it (version 1, our
 * statement, no scheme, resources or request id), without pulling viem into the main entry.
 */
export function siweMessage(m: {
  address: string;
  chainId: number;
  domain: string;
  uri: string;
  nonce: string;
  issuedAt: Date;
  expirationTime: Date;
}): string {
  if (!Number.isSafeInteger(m.chainId) || m.chainId < 1) throw new TypeError('chainId must be a positive integer');
  if (!/^[a-zA-Z0-9]{8,}$/.test(m.nonce)) throw new TypeError('a SIWE nonce is at least 8 alphanumeric characters');
  if (!m.domain) throw new TypeError('a SIWE domain is an RFC 3986 authority');
  return [
    `${m.domain} wants you to sign in with your Ethereum account:`,
    checksumAddress(m.address),
    '',
    SIWE_STATEMENT,
    '',
    `URI: ${m.uri}`,
    'Version: 1',
    `Chain ID: ${m.chainId}`,
    `Nonce: ${m.nonce}`,
    `Issued At: ${m.issuedAt.toISOString()}`,
    `Expiration Time: ${m.expirationTime.toISOString()}`,
  ].join('\n');
}

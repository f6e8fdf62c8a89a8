// Signs contract payloads with whatever key the party holds; the key never leaves it.
import { didPkhFromAddress } from '../did/did-pkh.js';
import type { DidSigner } from '../did/signer.js';
import { signCompactJws } from '../jose/compact-jws.js';
import { SIGNATURE_JWS_TYPE, type SigningPayload, signingPayloadBytes, signingTypedData } from './signing-payload.js';

/** An Ethereum account that signs EIP-712 typed data: a viem `LocalAccount`, or a wallet wrapped as one. */
export interface TypedDataAccount {
  address: `0x${string}`;
  signTypedData(typedData: ReturnType<typeof signingTypedData>): Promise<`0x${string}`>;
}

/** A did:key signer, or an Ethereum account with the chain of its did:pkh (default 1). */
export type ContractSigner = DidSigner | TypedDataAccount | { account: TypedDataAccount; chainId: number };

export interface SignedPayload {
  format: 'jws' | 'eip712';
  signature: string;
  payload: SigningPayload;
}

const isDidSigner = (s: ContractSigner): s is DidSigner => 'sign' in s && 'did' in s;

/** The DID a signer signs as. */
export function contractSignerDid(signer: ContractSigner): string {
  if (isDidSigner(signer)) return signer.did;
  return 'account' in signer
    ? didPkhFromAddress(signer.account.address, signer.chainId)
    : didPkhFromAddress(signer.address);
}

/** Signs `payload` (whose `signer` must be the signer's DID) in the format its key type uses. */
export async function signPayload(signer: ContractSigner, payload: SigningPayload): Promise<SignedPayload> {
  if (payload.signer !== contractSignerDid(signer))
    throw new TypeError(`payload.signer ${payload.signer} is not the signer's DID`);
  if (isDidSigner(signer)) {
    const signature = await signCompactJws(signingPayloadBytes(payload), signer, {
      typ: SIGNATURE_JWS_TYPE,
      kid: signer.did,
    });
    return { format: 'jws', signature, payload };
  }
  const account = 'account' in signer ? signer.account : signer;
  return { format: 'eip712', signature: await account.signTypedData(signingTypedData(payload)), payload };
}

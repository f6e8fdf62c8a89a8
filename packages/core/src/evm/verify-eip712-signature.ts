// Checks a contract signature made as EIP-712 typed data by an Ethereum account (did:pkh).
import { recoverTypedDataAddress } from 'viem';
import { type SigningPayload, signingTypedData } from '../signing/signing-payload.js';

const DID_PKH = /^did:pkh:eip155:[1-9]\d*:(0x[0-9a-fA-F]{40})$/;

/**
 * Why `signature` is not a valid EIP-712 signature of `payload` by the account of `payload.signer`
 * (empty when it is). The signature must be 65 bytes of lower-case hex, so it has one spelling.
 */
export async function eip712SignatureProblems(signature: string, payload: SigningPayload): Promise<string[]> {
  const account = DID_PKH.exec(payload.signer)?.[1];
  if (!account) return [`EIP-712 signatures are for did:pkh (eip155) signers, not ${payload.signer}`];
  if (!/^0x[0-9a-f]{130}$/.test(signature)) return ['an EIP-712 signature is 0x and 130 lower-case hex digits'];
  let recovered: string;
  try {
    recovered = await recoverTypedDataAddress({ ...signingTypedData(payload), signature: signature as `0x${string}` });
  } catch (error) {
    return [
      `the EIP-712 signature is malformed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    ];
  }
  return recovered.toLowerCase() === account.toLowerCase()
    ? []
    : [`the EIP-712 signature recovers ${recovered}, not the account of ${payload.signer}`];
}

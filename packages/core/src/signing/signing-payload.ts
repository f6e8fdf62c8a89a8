// What a party signs: one payload, two encodings. Ed25519 did:key signers sign its RFC 8785 canonical
// JSON as a compact JWS; Ethereum accounts (did:pkh) sign it as EIP-712 typed data. See docs/signing.md.
import { utf8ToBytes } from '../bytes.js';
import { canonicalJson } from '../canonical/canonical-json.js';

export const SIGNATURE_PAYLOAD_TYPE = 'cms.signature.v1';
/** `typ` of a signature JWS. */
export const SIGNATURE_JWS_TYPE = 'cms-signature+jws';

export interface SigningPayload {
  type: typeof SIGNATURE_PAYLOAD_TYPE;
  contractId: string;
  /** The contract's content version. */
  version: number;
  /** `0x` + SHA-256 of the canonical content. */
  contentHash: string;
  signer: string;
  role: 'signer' | 'approver' | 'viewer' | 'cc';
  intent: 'sign' | 'decline';
  /** ISO 8601 (UTC, milliseconds). */
  signedAt: string;
  /** Why, for a decline. */
  reason?: string;
}

/** The bytes a JWS signature covers: the canonical JSON of the payload. */
export const signingPayloadBytes = (payload: SigningPayload): Uint8Array => utf8ToBytes(canonicalJson(payload));

/** The EIP-712 domain and types of a contract signature (off-chain: no chain id, no verifying contract). */
export const SIGNATURE_TYPED_DATA = {
  domain: { name: 'CMS', version: '1' },
  primaryType: 'ContractSignature',
  types: {
    ContractSignature: [
      { name: 'type', type: 'string' },
      { name: 'contractId', type: 'string' },
      { name: 'version', type: 'uint256' },
      { name: 'contentHash', type: 'bytes32' },
      { name: 'signer', type: 'string' },
      { name: 'role', type: 'string' },
      { name: 'intent', type: 'string' },
      { name: 'signedAt', type: 'string' },
      { name: 'reason', type: 'string' },
    ],
  },
} as const;

/** The EIP-712 typed data of a payload, ready for viem's `signTypedData` / `verifyTypedData`. */
export function signingTypedData(payload: SigningPayload) {
  return {
    ...SIGNATURE_TYPED_DATA,
    message: {
      type: payload.type,
      contractId: payload.contractId,
      version: BigInt(payload.version),
      contentHash: payload.contentHash as `0x${string}`,
      signer: payload.signer,
      role: payload.role,
      intent: payload.intent,
      signedAt: payload.signedAt,
      reason: payload.reason ?? '',
    },
  };
}

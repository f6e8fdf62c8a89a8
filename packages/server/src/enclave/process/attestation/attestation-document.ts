// Attestation documents in the AWS Nitro Enclaves format: COSE_Sign1 (ES384) over a CBOR map of
// module_id, digest, timestamp, pcrs, certificate, cabundle, public_key, user_data and nonce, so the
// verifier that checks Nitro hardware documents checks these too (against this enclave's own root).
import { encode } from 'cborg';
import { EnclaveError } from '../enclave-error.js';
import type { AttestationKeys } from './certificates.js';

const PROTECTED = encode(new Map([[1, -35]])); // { alg: ES384 }

export interface AttestationInput {
  nonce?: Uint8Array | null;
  userData?: Uint8Array | null;
}

export async function attestationDocument(
  keys: AttestationKeys,
  o: { moduleId: string; pcrs: Map<number, Uint8Array>; publicKey: Uint8Array; now?: number } & AttestationInput,
): Promise<Uint8Array> {
  for (const [name, v] of [
    ['nonce', o.nonce],
    ['userData', o.userData],
  ] as const) {
    if (v !== undefined && v !== null && (!(v instanceof Uint8Array) || v.length > 512))
      throw new EnclaveError('bad_request', `${name} must be at most 512 bytes`);
  }
  const payload = encode(
    new Map<string, unknown>([
      ['module_id', o.moduleId],
      ['digest', 'SHA384'],
      ['timestamp', o.now ?? Date.now()],
      ['pcrs', o.pcrs],
      ['certificate', keys.leafDer],
      ['cabundle', [keys.rootDer]],
      ['public_key', o.publicKey],
      ['user_data', o.userData ?? null],
      ['nonce', o.nonce ?? null],
    ]),
  );
  const signature = await keys.sign(encode(['Signature1', PROTECTED, new Uint8Array(0), payload]));
  return encode([PROTECTED, new Map(), payload, signature]);
}

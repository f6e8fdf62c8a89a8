// What each operation does inside the enclave. Arguments arrive decoded from CBOR and unchecked: each
// handler checks what it uses, and answers `bad_request` for anything else.
import type { EnclaveOperation, OperationArgs, OperationResult } from '../protocol/operations.js';
import { attestationDocument } from './attestation/attestation-document.js';
import type { AttestationKeys } from './attestation/certificates.js';
import { openTermsForReader, sealTerms } from './confidential/confidential-terms.js';
import type { SealingKey } from './confidential/sealing-key.js';
import { generateDataKey, unwrapDataKey, wrapDataKey } from './data-keys.js';
import { EnclaveError } from './enclave-error.js';
import type { KekRing } from './kek-ring.js';
import type { OperationLimits } from './operation-limits.js';
import type { RecorderKey } from './recorder-key.js';

export interface EnclaveState {
  startedAt: string;
  keks: KekRing;
  recorder: RecorderKey;
  limits: OperationLimits;
  attestation: AttestationKeys;
  sealing: SealingKey;
  pcrs: Map<number, Uint8Array>;
  moduleId: string;
  /** Where reads of confidential terms are recorded (inside the enclave's data directory). */
  accessLog: string | undefined;
}

export type Handlers = {
  [O in EnclaveOperation]: (args: OperationArgs<O>) => Promise<OperationResult<O>> | OperationResult<O>;
};

/** Most wrapped keys one `rewrapDataKeys` call may carry. */
export const MAX_REWRAP_BATCH = 1000;

export function enclaveHandlers(state: EnclaveState): Handlers {
  const { keks, recorder } = state;
  return {
    ping: () => ({ pid: process.pid, startedAt: state.startedAt, mode: 'software' as const }),
    generateDataKey: ({ context }) => generateDataKey(keks, context),
    decryptDataKey: ({ wrappedKey, context }) => ({ plaintextKey: unwrapDataKey(keks, wrappedKey, context) }),
    rewrapDataKeys: ({ items }) => {
      if (!Array.isArray(items) || items.length > MAX_REWRAP_BATCH)
        throw new EnclaveError('bad_request', `items must be an array of at most ${MAX_REWRAP_BATCH}`);
      return {
        items: items.map(({ wrappedKey, context }) =>
          wrapDataKey(keks, unwrapDataKey(keks, wrappedKey, context), context),
        ),
      };
    },
    rotateKek: () => ({ version: keks.rotate() }),
    retireKek: ({ version }) => {
      if (!Number.isSafeInteger(version)) throw new EnclaveError('bad_request', 'version must be an integer');
      keks.retire(version);
      return { version };
    },
    listKeks: () => ({ keks: keks.list() }),
    recorderAddress: () => ({ address: recorder.address }),
    signRecorderHash: ({ hash }) => recorder.signHash(hash),
    usage: () => state.limits.usage(),
    enclaveInfo: () => ({
      mode: 'software' as const,
      hardwareBacked: false as const,
      rootCertificate: state.attestation.rootDer,
      pcrs: Object.fromEntries(state.pcrs),
      sealingKey: { kid: state.sealing.kid, publicKey: state.sealing.publicKey },
    }),
    attest: async ({ nonce, userData }) => ({ document: await attest(state, { nonce, userData }) }),
    sealConfidentialTerms: async (args) => {
      checkIds(args);
      const { userData, ...sealed } = await sealTerms(keks, state.sealing, args);
      return { ...sealed, attestation: await attest(state, { userData }) };
    },
    openConfidentialTerms: (args) => {
      checkIds(args);
      if (typeof args.readerDid !== 'string' || typeof args.recipientPublicKey !== 'string')
        throw new EnclaveError('bad_request', 'readerDid and recipientPublicKey must be strings');
      return openTermsForReader(keks, args, state.accessLog);
    },
  };
}

const attest = (state: EnclaveState, input: { nonce?: Uint8Array | null; userData?: Uint8Array | null }) =>
  attestationDocument(state.attestation, {
    moduleId: state.moduleId,
    pcrs: state.pcrs,
    publicKey: state.sealing.publicKey,
    ...input,
  });

function checkIds(args: { organizationId: unknown; contractId: unknown }): void {
  if (
    typeof args.organizationId !== 'string' ||
    typeof args.contractId !== 'string' ||
    !args.organizationId ||
    !args.contractId
  ) {
    throw new EnclaveError('bad_request', 'organizationId and contractId must be non-empty strings');
  }
}

// The operations the enclave answers, with their argument and result shapes. Both sides import this
// file only for types and constants: it holds no key and no code that touches one.

/** What a data key is bound to: its AAD, so a wrapped key replayed for another object fails. */
export interface EncryptionContext {
  organizationId: string;
  /** What the key protects, e.g. `confidential-terms`, `document`, `webhook-secret`. */
  purpose: string;
  /** The protected object: a contract id, a file's SHA-256, … */
  objectId: string;
}

export interface KekInfo {
  version: number;
  state: 'current' | 'decrypt-only' | 'retired';
  createdAt: string;
  retiredAt: string | null;
}

export interface EnclaveOperations {
  ping: { args: Record<string, never>; result: { pid: number; startedAt: string; mode: 'software' } };
  generateDataKey: {
    args: { context: EncryptionContext };
    result: { plaintextKey: Uint8Array; wrappedKey: Uint8Array; kekVersion: number };
  };
  decryptDataKey: {
    args: { wrappedKey: Uint8Array; context: EncryptionContext };
    result: { plaintextKey: Uint8Array };
  };
  /** Re-encrypts wrapped keys under the current KEK; the plaintext keys never leave the enclave. */
  rewrapDataKeys: {
    args: { items: { wrappedKey: Uint8Array; context: EncryptionContext }[] };
    result: { items: { wrappedKey: Uint8Array; kekVersion: number }[] };
  };
  rotateKek: { args: Record<string, never>; result: { version: number } };
  /** Destroys a KEK that is no longer current; whatever it still wraps becomes unreadable. */
  retireKek: { args: { version: number }; result: { version: number } };
  listKeks: { args: Record<string, never>; result: { keks: KekInfo[] } };
  recorderAddress: { args: Record<string, never>; result: { address: `0x${string}` } };
  /** Signs a 32-byte hash (of a serialized transaction) with the recorder key (secp256k1); never exports the key. */
  signRecorderHash: { args: { hash: `0x${string}` }; result: { r: `0x${string}`; s: `0x${string}`; yParity: number } };
  usage: { args: Record<string, never>; result: EnclaveUsage };
  /** Root certificate, PCRs and sealing key: what clients verify documents against. */
  enclaveInfo: {
    args: Record<string, never>;
    result: {
      mode: 'software';
      hardwareBacked: false;
      rootCertificate: Uint8Array;
      pcrs: Record<number, Uint8Array>;
      sealingKey: { kid: string; publicKey: Uint8Array };
    };
  };
  /** A fresh COSE_Sign1 attestation document (AWS Nitro format) carrying `nonce` and `userData`. */
  attest: { args: { nonce?: Uint8Array | null; userData?: Uint8Array | null }; result: { document: Uint8Array } };
  /** Opens a client's HPKE envelope of confidential terms and stores them for the contract (see confidential-terms.ts). */
  sealConfidentialTerms: {
    args: {
      organizationId: string;
      contractId: string;
      envelope: { kid: string; enc: Uint8Array; ciphertext: Uint8Array };
    };
    result: {
      commitment: `0x${string}`;
      ciphertext: Uint8Array;
      wrappedKey: Uint8Array;
      kekVersion: number;
      attestation: Uint8Array;
    };
  };
  /** Decrypts stored terms and seals them to a reader's key that the reader's DID signed for. */
  openConfidentialTerms: {
    args: {
      organizationId: string;
      contractId: string;
      ciphertext: Uint8Array;
      wrappedKey: Uint8Array;
      readerDid: string;
      recipientPublicKey: string;
      proof: string;
    };
    result: { enc: Uint8Array; ciphertext: Uint8Array };
  };
}

export type EnclaveOperation = keyof EnclaveOperations;
export type OperationArgs<O extends EnclaveOperation> = EnclaveOperations[O]['args'];
export type OperationResult<O extends EnclaveOperation> = EnclaveOperations[O]['result'];

export interface EnclaveUsage {
  inFlight: number;
  maxConcurrency: number;
  rejectedBusy: number;
  timedOut: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** Per operation: calls, failures and the sum of their durations (seconds). */
  operations: Record<string, { count: number; errors: number; seconds: number }>;
}

export interface EnclaveRequest {
  id: number;
  op: EnclaveOperation;
  args: unknown;
}

/** Codes the enclave answers with; `busy` and `timeout` are retryable, the others are not. */
export type EnclaveErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'busy'
  | 'timeout'
  | 'too_large'
  | 'forbidden'
  | 'internal';

export type EnclaveResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: EnclaveErrorCode; message: string } };

// `services.enclave`: the server's client of the enclave. Every key operation goes through here; the
// server holds data keys only while it uses them and never sees a KEK or the recorder key.
//
// Failures: when the enclave is down, overloaded or slow, calls throw 503 `enclave_unavailable` with
// `Retry-After`, so only requests that need the enclave fail, and they are safe to retry.
//
// @example (the documents issue)
//   const { plaintextKey, wrappedKey, kekVersion } = await services.enclave.generateDataKey({ organizationId, purpose: 'document', objectId: sha256 });
//   // …encrypt with plaintextKey (AES-256-GCM, see envelope-cipher.ts), store ciphertext + wrappedKey, forget plaintextKey…
//   const key = await services.enclave.decryptDataKey(wrappedKey, { organizationId, purpose: 'document', objectId: sha256 });
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../errors/app-error.js';
import type { Logger } from '../../observability/logger.js';
import type {
  EnclaveOperation,
  EnclaveUsage,
  EncryptionContext,
  KekInfo,
  OperationArgs,
  OperationResult,
} from '../protocol/operations.js';
import { createEnclaveConnection, EnclaveCallError, type EnclaveConnection } from './enclave-connection.js';
import { type EnclaveLimits, type SupervisedEnclave, superviseEnclave } from './supervise-enclave.js';

export type { EncryptionContext };

export type EnclaveConfig =
  /** No enclave: operations that need one answer 503 `enclave_unavailable`. */
  | { mode: 'disabled' }
  /** `cms-enclave` as a child process; its keys in `dataDir` (`<CMS_DATA_DIR>/enclave`, a temporary directory without one). */
  | { mode: 'embedded'; dataDir?: string; limits: EnclaveLimits; callTimeoutMs: number }
  /** A standalone `cms-enclave serve` (another OS user) listening on `socketPath`. */
  | { mode: 'external'; socketPath: string; callTimeoutMs: number };

export interface Enclave {
  mode: EnclaveConfig['mode'];
  /** A fresh AES-256 data key for one object: use `plaintextKey` once, store `wrappedKey`. */
  generateDataKey(
    context: EncryptionContext,
  ): Promise<{ plaintextKey: Uint8Array; wrappedKey: Uint8Array; kekVersion: number }>;
  /** The data key inside `wrappedKey`; fails unless `context` is exactly the one it was made with. */
  decryptDataKey(wrappedKey: Uint8Array, context: EncryptionContext): Promise<Uint8Array>;
  /** Re-wraps keys under the current KEK (at most 1000 per call), in order. */
  rewrapDataKeys(
    items: { wrappedKey: Uint8Array; context: EncryptionContext }[],
  ): Promise<{ wrappedKey: Uint8Array; kekVersion: number }[]>;
  rotateKek(): Promise<number>;
  retireKek(version: number): Promise<void>;
  listKeks(): Promise<KekInfo[]>;
  /** Any operation by name (attestation, confidential terms, recorder signing). */
  call<O extends EnclaveOperation>(op: O, args: OperationArgs<O>): Promise<OperationResult<O>>;
  usage(): Promise<EnclaveUsage>;
  /** The embedded child: its pid (undefined while down) and how often it was restarted. */
  process: { pid(): number | undefined; restarts(): number } | undefined;
  close(): Promise<void>;
}

/** Seconds a client should wait before retrying a call the enclave could not answer. */
export const ENCLAVE_RETRY_AFTER_SECONDS = 1;

export function enclaveUnavailable(detail: string): AppError {
  return new AppError('enclave_unavailable', detail, {
    headers: { 'retry-after': String(ENCLAVE_RETRY_AFTER_SECONDS) },
  });
}

export async function startEnclaveService(config: EnclaveConfig, options: { logger: Logger }): Promise<Enclave> {
  if (config.mode === 'disabled') return disabledEnclave();
  let connection: EnclaveConnection;
  let supervised: SupervisedEnclave | undefined;
  let cleanup = () => {};
  if (config.mode === 'external') {
    connection = createEnclaveConnection({ socketPath: config.socketPath, timeoutMs: config.callTimeoutMs });
  } else {
    // The socket lives in a fresh 0700 directory (short enough for the 108-byte limit of socket paths),
    // removed on close together with the keys when there is no data directory to keep them in.
    const runDir = mkdtempSync(join(tmpdir(), 'cms-enclave-'));
    const dataDir = config.dataDir ?? join(runDir, 'data');
    const socketPath = join(runDir, 'enclave.sock');
    connection = createEnclaveConnection({ socketPath, timeoutMs: config.callTimeoutMs });
    cleanup = () => rmSync(runDir, { recursive: true, force: true });
    try {
      supervised = await superviseEnclave({
        socketPath,
        dataDir,
        limits: config.limits,
        connection,
        logger: options.logger,
      });
    } catch (error) {
      connection.close();
      cleanup();
      throw error;
    }
  }
  return enclaveOver(connection, config.mode, supervised, async () => {
    await supervised?.stop();
    connection.close();
    cleanup();
  });
}

export function enclaveOver(
  connection: EnclaveConnection,
  mode: EnclaveConfig['mode'],
  supervised: SupervisedEnclave | undefined,
  close: () => Promise<void>,
): Enclave {
  async function call<O extends EnclaveOperation>(op: O, args: OperationArgs<O>): Promise<OperationResult<O>> {
    // Between an embedded enclave's exit and its supervisor seeing the new one answer, calls are refused
    // here rather than raced against the restart (the new process may listen before it is counted up).
    if (supervised && !supervised.up()) throw enclaveUnavailable('The enclave is restarting; retry shortly.');
    try {
      return await connection.call(op, args);
    } catch (error) {
      if (error instanceof EnclaveCallError && error.retryable)
        throw enclaveUnavailable(`The enclave could not answer (${error.code}); retry shortly.`);
      throw error;
    }
  }
  return {
    mode,
    call,
    generateDataKey: (context) => call('generateDataKey', { context }),
    decryptDataKey: async (wrappedKey, context) => (await call('decryptDataKey', { wrappedKey, context })).plaintextKey,
    rewrapDataKeys: async (items) => (await call('rewrapDataKeys', { items })).items,
    rotateKek: async () => (await call('rotateKek', {})).version,
    retireKek: async (version) => void (await call('retireKek', { version })),
    listKeks: async () => (await call('listKeks', {})).keks,
    usage: () => call('usage', {}),
    process: supervised && { pid: () => supervised.pid(), restarts: () => supervised.restarts() },
    close,
  };
}

function disabledEnclave(): Enclave {
  const off = async (): Promise<never> => {
    throw new AppError('enclave_unavailable', 'This server runs without an enclave (CMS_ENCLAVE=disabled).');
  };
  return {
    mode: 'disabled',
    call: off,
    generateDataKey: off,
    decryptDataKey: off,
    rewrapDataKeys: off,
    rotateKek: off,
    retireKek: off,
    listKeks: off,
    usage: off,
    process: undefined,
    close: async () => {},
  };
}

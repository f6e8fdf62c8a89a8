// Opens the enclave's state in its data directory (KEKs, recorder key, attestation keys) and listens on
// its socket. Used by `cms-enclave serve` and by tests that run an enclave in their own process.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openAttestationKeys } from './attestation/certificates.js';
import { measureEnclave } from './attestation/measure-enclave.js';
import { openSealingKey } from './confidential/sealing-key.js';
import { type EnclaveState, enclaveHandlers } from './enclave-handlers.js';
import { listenEnclave } from './enclave-server.js';
import { openKekRing } from './kek-ring.js';
import { createOperationLimits } from './operation-limits.js';
import { ensurePrivateDir } from './private-files.js';
import { openRecorderKey } from './recorder-key.js';

export interface EnclaveOptions {
  socketPath: string;
  dataDir: string;
  /** @default 16 */
  maxConcurrency?: number;
  /** @default 1048576 */
  maxRequestBytes?: number;
  /** @default 5000 */
  timeoutMs?: number;
  log?: (entry: Record<string, unknown>) => void;
}

export interface RunningEnclave {
  state: EnclaveState;
  close(): Promise<void>;
}

export async function startEnclave(options: EnclaveOptions): Promise<RunningEnclave> {
  const log = options.log ?? ((e) => process.stderr.write(`${JSON.stringify({ service: 'cms-enclave', ...e })}\n`));
  ensurePrivateDir(options.dataDir);
  const keysDir = join(options.dataDir, 'keys');
  ensurePrivateDir(keysDir);
  const measured = {
    maxConcurrency: options.maxConcurrency ?? 16,
    maxRequestBytes: options.maxRequestBytes ?? 1024 * 1024,
    timeoutMs: options.timeoutMs ?? 5000,
  };
  const limits = createOperationLimits(measured);
  const attestation = await openAttestationKeys(keysDir);
  const state: EnclaveState = {
    startedAt: new Date().toISOString(),
    keks: openKekRing(keysDir),
    recorder: openRecorderKey(keysDir),
    limits,
    attestation,
    sealing: await openSealingKey(keysDir),
    pcrs: measureEnclave(measured),
    moduleId: `cms-enclave-software-${createHash('sha256').update(attestation.rootDer).digest('hex').slice(0, 16)}`,
    accessLog: join(options.dataDir, 'confidential-reads.log'),
  };
  const server = await listenEnclave({
    socketPath: options.socketPath,
    handlers: enclaveHandlers(state),
    limits,
    maxRequestBytes: measured.maxRequestBytes,
    log,
  });
  return { state, close: () => server.close() };
}

// An error the enclave answers with a stable code; anything else is answered as `internal` without its
// message (which might quote a value), and logged inside the enclave.
import type { EnclaveErrorCode } from '../protocol/operations.js';

export class EnclaveError extends Error {
  override name = 'EnclaveError';
  constructor(
    readonly code: EnclaveErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// The enclave's part of a readiness report. Not a reason to take an instance out of rotation: while the
// enclave is down only the operations that need it fail (503 enclave_unavailable), the rest still work.
import type { Enclave } from './enclave-service.js';

export type EnclaveReadiness = 'ok' | 'unavailable' | 'disabled';

export async function checkEnclave(enclave: Enclave): Promise<EnclaveReadiness> {
  if (enclave.mode === 'disabled') return 'disabled';
  try {
    await enclave.call('ping', {});
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

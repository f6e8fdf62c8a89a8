// HTTP handlers of the enclave: its description (root, PCRs, sealing key), fresh attestation documents,
// and reads of confidential terms.
import { X509Certificate } from 'node:crypto';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { readConfidentialTerms } from './confidential/read-confidential-terms.js';

export const SEALING_SUITE = 'DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM' as const;

export function enclaveHandlers(
  s: Services,
): Pick<OperationHandlers, 'getEnclave' | 'getEnclaveAttestation' | 'readConfidentialTerms'> {
  return {
    getEnclave: async (c) => {
      const [info, recorder] = await Promise.all([
        s.enclave.call('enclaveInfo', {}),
        s.enclave.call('recorderAddress', {}),
      ]);
      c.header('cache-control', 'no-cache');
      return c.json(
        {
          mode: info.mode,
          hardwareBacked: info.hardwareBacked,
          rootCertificate: new X509Certificate(Buffer.from(info.rootCertificate)).toString(),
          pcrs: Object.fromEntries(Object.entries(info.pcrs).map(([i, v]) => [i, Buffer.from(v).toString('hex')])),
          sealingKey: {
            kid: info.sealingKey.kid,
            publicKey: Buffer.from(info.sealingKey.publicKey).toString('base64url'),
            suite: SEALING_SUITE,
          },
          recorderAddress: recorder.address,
        },
        200,
      );
    },
    getEnclaveAttestation: async (c) => {
      const { nonce } = c.req.valid('query');
      const { document } = await s.enclave.call('attest', { nonce: Buffer.from(nonce, 'hex') });
      return c.json(
        { document: Buffer.from(document).toString('base64'), mode: 'software' as const, hardwareBacked: false },
        200,
      );
    },
    readConfidentialTerms: async (c) => {
      const sealed = await readConfidentialTerms(
        s.database.db,
        s.enclave,
        c.get('principal'),
        c.req.valid('param').contractId,
        c.req.valid('json'),
      );
      c.header('cache-control', 'no-store');
      return c.json(sealed, 200);
    },
  };
}

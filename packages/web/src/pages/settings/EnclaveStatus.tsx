// The server's enclave (where data keys and confidential terms are unsealed): its mode and measurements, and
// a fresh attestation with a nonce of this page's own, verified here (certificate chain, freshness, nonce,
// measurements). The verifier (@cms/sdk/enclave) loads only when asked.
import { useCmsClient, useEnclave } from '@cms/react';
import { useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Mono } from '../../components/Hash';

interface Verified {
  moduleId: string;
  timestamp: string;
  hardwareBacked: boolean;
  kid: string;
}

/** The measurements set: an unused PCR is all zeros, which the verifier (rightly) refuses to pin. */
const measuredPcrs = (pcrs: Record<string, string>) => Object.entries(pcrs).filter(([, v]) => !/^0+$/.test(v));

export function EnclaveStatus() {
  const cms = useCmsClient();
  const info = useEnclave({ retry: false });
  const [verified, setVerified] = useState<Verified>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const attest = async () => {
    if (!info.data) return;
    setBusy(true);
    setError(undefined);
    setVerified(undefined);
    try {
      const { attestEnclave } = await import('@cms/sdk/enclave');
      const expectedPcrs = Object.fromEntries(measuredPcrs(info.data.pcrs).map(([i, v]) => [Number(i), [v]]));
      // Hardware: the AWS Nitro root (the default). Software mode: the root this server publishes — trust on
      // first use, as `cms enclave verify --root` pins it.
      const { attestation, kid } = await attestEnclave(cms, {
        ...(info.data.hardwareBacked ? {} : { roots: [info.data.rootCertificate] }),
        expectedPcrs,
      });
      setVerified({
        moduleId: attestation.moduleId,
        timestamp: attestation.timestamp.toISOString(),
        hardwareBacked: attestation.hardwareBacked,
        kid,
      });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="enclave">
      <h2 id="enclave">Enclave</h2>
      {info.isPending && <p role="status">Loading…</p>}
      <ErrorMessage error={info.error} />
      {info.data && (
        <>
          <dl className="facts">
            <dt>Mode</dt>
            <dd>{info.data.hardwareBacked ? 'AWS Nitro (hardware)' : `${info.data.mode} (no hardware isolation)`}</dd>
            <dt>Sealing key</dt>
            <dd>
              <Mono>{info.data.sealingKey.kid}</Mono>
            </dd>
            {measuredPcrs(info.data.pcrs).map(([i, v]) => (
              <div key={i} className="contents">
                <dt>PCR{i}</dt>
                <dd>
                  <Mono>{v}</Mono>
                </dd>
              </div>
            ))}
          </dl>
          <button type="button" className="button" disabled={busy} onClick={() => void attest()}>
            {busy ? 'Verifying…' : 'Verify a fresh attestation'}
          </button>
        </>
      )}
      <ErrorMessage error={error} />
      {verified && (
        <p className="ok" role="status" data-testid="attestation-verified">
          Attestation verified here: certificate chain, freshness, our nonce and the measurements above (module{' '}
          {verified.moduleId}, {new Date(verified.timestamp).toLocaleString()}, key {verified.kid}).
        </p>
      )}
    </section>
  );
}

// Public verification: anyone drops a completed PDF or an evidence bundle and it is checked here, in the
// browser, against the chain through a JSON-RPC URL they choose, with a ledger address they trust. No account
// needed. A completed PDF carries its evidence bundle and its original documents as attachments: the bundle is
// verified, and each attached document must hash to the SHA-256 the contract names (pdf-lib, loaded only then).
import { useServerStatus } from '@cms/react';
import type { EvidenceVerification } from '@cms/sdk';
import { type DragEvent, type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage';

export default function VerifyPage() {
  const status = useServerStatus();
  const [rpcUrl, setRpcUrl] = useState('');
  const [ledgerAddress, setLedgerAddress] = useState('');
  const [file, setFile] = useState<File>();
  const [result, setResult] = useState<EvidenceVerification>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);

  // Defaults from this server's status; whoever does not trust it types their own.
  useEffect(() => {
    if (status.data?.chain.rpcUrl && !rpcUrl) setRpcUrl(status.data.chain.rpcUrl);
    if (status.data?.chain.ledgerAddress && !ledgerAddress) setLedgerAddress(status.data.chain.ledgerAddress);
  }, [status.data, rpcUrl, ledgerAddress]);

  const verify = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const [{ evmEvidenceVerifier, verifyEvidence }, { createPublicClient, http }] = await Promise.all([
        import('@cms/sdk/evm'),
        import('viem'),
      ]);
      const client = rpcUrl && ledgerAddress ? createPublicClient({ transport: http(rpcUrl) }) : undefined;
      const chain = client ? { ledgerAddress: ledgerAddress as `0x${string}` } : {};
      const { isPdf, verifyCompletedPdf } = await import('@cms/sdk/pdf');
      if (isPdf(bytes)) {
        setResult(await verifyCompletedPdf(bytes, { ...chain, evm: evmEvidenceVerifier(client ? { client } : {}) }));
      } else {
        const bundle = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
        setResult(await verifyEvidence(bundle, { ...chain, ...(client && { client }) }));
      }
    } catch (err) {
      setError(
        err instanceof SyntaxError ? new Error('This file is neither a completed PDF nor an evidence bundle.') : err,
      );
    } finally {
      setBusy(false);
    }
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const dropped = e.dataTransfer.files[0];
    if (dropped) setFile(dropped);
  };

  return (
    <main id="main" className="page narrow">
      <p>
        <Link to="/">CMS</Link>
      </p>
      <h1>Verify a contract</h1>
      <p className="muted">
        A completed PDF or an evidence bundle is checked in this browser: content hash, signatures, the audit chain and
        every Merkle proof, each anchor on chain, and (in a PDF) each attached document against its SHA-256.
      </p>
      <form className="card" onSubmit={verify}>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop zone only adds drag and drop; the file input inside it is the accessible control */}
        <div
          className={dragging ? 'dropzone dragging' : 'dropzone'}
          onDragOver={(e) => (e.preventDefault(), setDragging(true))}
          onDragLeave={() => setDragging(false)}
          onDrop={drop}
        >
          <label className="field">
            <span>Completed PDF or evidence bundle (.json) — drop it here or choose it</span>
            <input
              type="file"
              name="bundle"
              accept="application/pdf,.pdf,application/json,.json"
              onChange={(e) => setFile(e.target.files?.[0])}
            />
          </label>
          {file && <p className="small">{file.name}</p>}
        </div>
        <label className="field">
          <span>Chain JSON-RPC URL</span>
          <input
            type="url"
            name="rpc"
            value={rpcUrl}
            onChange={(e) => setRpcUrl(e.target.value)}
            placeholder="https://…"
          />
        </label>
        <label className="field">
          <span>Ledger contract address you trust</span>
          <input
            name="ledger"
            value={ledgerAddress}
            onChange={(e) => setLedgerAddress(e.target.value)}
            pattern="^0x[0-9a-fA-F]{40}$"
            placeholder="0x…"
          />
        </label>
        <button type="submit" className="button primary" disabled={!file || busy}>
          {busy ? 'Verifying…' : 'Verify'}
        </button>
      </form>
      <ErrorMessage error={error} />
      {result && (
        <section className="card" aria-labelledby="verdict" aria-live="polite">
          <h2 id="verdict" data-valid={result.valid}>
            {result.valid ? 'Valid' : 'Not valid'}
            {result.chainChecked ? ' — checked on chain' : ' — offline (no chain given)'}
          </h2>
          <ul className="checks">
            {result.checks.map((c) => (
              <li key={c.check} className={c.ok ? 'ok' : 'field-error'}>
                {c.ok ? '✓' : '✗'} {c.check}
                {!c.ok && <span className="small"> — {c.detail}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}

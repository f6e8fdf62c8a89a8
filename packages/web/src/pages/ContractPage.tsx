// One contract: parties in signing order, body and terms, documents, ledger record, history, and the
// actions the caller may take (send, void, terminate as the owner; sign or decline as a party).
import { useCmsClient, useContract, useContractAction, useContractHistory } from '@cms/react';
import { CmsNotFoundError } from '@cms/sdk';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useContractRole } from '../app/use-owner';
import { ErrorMessage } from '../components/ErrorMessage';
import { Mono, shortDid } from '../components/Hash';
import { ReasonDialog } from '../components/ReasonDialog';
import { StatusBadge } from '../components/StatusBadge';
import { downloadFile } from '../identity/download';
import { DocumentsPanel } from './contract/DocumentsPanel';
import { LedgerPanel } from './contract/LedgerPanel';

export default function ContractPage() {
  const { contractId = '' } = useParams();
  const contract = useContract(contractId);
  const history = useContractHistory(contractId, { enabled: contract.isSuccess });
  const action = useContractAction();
  const cms = useCmsClient();
  const { owner, party } = useContractRole(contract.data);
  const [downloadError, setDownloadError] = useState<unknown>();

  if (contract.error instanceof CmsNotFoundError) return <NotFound />;
  if (contract.isPending) return <p role="status">Loading contract…</p>;
  if (contract.isError) return <ErrorMessage error={contract.error} />;
  const c = contract.data;
  const ifMatch = c.revision;
  const open = ['draft', 'pending', 'partially_signed'].includes(c.status);
  const mayDecide =
    party &&
    (party.role === 'signer' || party.role === 'approver') &&
    (party.status === 'sent' || party.status === 'viewed') &&
    ['pending', 'partially_signed'].includes(c.status);
  const signers = [...c.parties].sort((a, b) => a.signingOrder - b.signingOrder);

  const completed = c.status === 'executed' || c.status === 'terminated';
  const download = (what: 'evidence' | 'completed' | 'certificate') => async () => {
    setDownloadError(undefined);
    try {
      if (what === 'evidence')
        downloadFile(`contract-${c.id}-evidence.json`, JSON.stringify(await cms.contracts.evidence(c.id), null, 2));
      else
        downloadFile(
          `contract-${c.id}-${what}.pdf`,
          await cms.contracts.completedPdf(c.id, { certificate: what === 'certificate' }),
          'application/pdf',
        );
    } catch (e) {
      setDownloadError(e);
    }
  };

  return (
    <>
      <div className="row between wrap">
        <h1>{c.title}</h1>
        <span data-testid="contract-status">
          <StatusBadge status={c.status} />
        </span>
      </div>
      {c.description && <p>{c.description}</p>}
      <div className="row wrap actions">
        {owner && c.status === 'draft' && (
          <button
            type="button"
            className="button primary"
            disabled={action.isPending}
            onClick={() => action.mutate({ action: 'send', contractId: c.id, ifMatch })}
          >
            Send for signature
          </button>
        )}
        {mayDecide && (
          <Link className="button primary" to={`/contracts/${c.id}/sign`}>
            Review and sign
          </Link>
        )}
        {mayDecide && (
          <ReasonDialog
            trigger="Decline"
            title="Decline to sign"
            description="The owner and the other parties see your reason. Declining ends the contract."
            confirm="Decline"
            danger
            onConfirm={(reason) => action.mutateAsync({ action: 'decline', contractId: c.id, reason, ifMatch })}
          />
        )}
        {owner && open && (
          <ReasonDialog
            trigger="Void"
            title="Void this contract"
            description="No one can sign it afterwards. The reason is recorded and anchored."
            confirm="Void contract"
            danger
            onConfirm={(reason) => action.mutateAsync({ action: 'void', contractId: c.id, reason, ifMatch })}
          />
        )}
        {owner && c.status === 'executed' && (
          <ReasonDialog
            trigger="Terminate"
            title="Terminate this contract"
            description="Ends the executed contract early. The reason is recorded and anchored."
            confirm="Terminate"
            danger
            onConfirm={(reason) => action.mutateAsync({ action: 'terminate', contractId: c.id, reason, ifMatch })}
          />
        )}
        <button type="button" className="button ghost" onClick={() => void download('evidence')()}>
          Download evidence bundle
        </button>
        {completed && (
          <>
            <button type="button" className="button ghost" onClick={() => void download('completed')()}>
              Download completed PDF
            </button>
            <button type="button" className="button ghost" onClick={() => void download('certificate')()}>
              Download certificate
            </button>
          </>
        )}
      </div>
      <ErrorMessage error={action.error ?? downloadError} />

      <section className="card" aria-labelledby="parties">
        <h2 id="parties">Parties in signing order</h2>
        <ol className="parties">
          {signers.map((p) => (
            <li key={p.did} data-party-did={p.did}>
              <span className="order" role="img" aria-label={`Signing order ${p.signingOrder}`}>
                {p.signingOrder}
              </span>
              <span>
                <strong>{p.name ?? shortDid(p.did)}</strong> <span className="muted small">{p.role}</span>
                <br />
                <Mono>{p.did}</Mono>
                {p.declineReason && <span className="small"> — declined: {p.declineReason}</span>}
              </span>
              <span className={`party-status party-${p.status}`} data-party-status={p.status}>
                {p.status}
              </span>
            </li>
          ))}
        </ol>
      </section>

      {c.body && (
        <section className="card" aria-labelledby="body">
          <h2 id="body">Text</h2>
          <pre className="contract-body">{c.body}</pre>
        </section>
      )}
      {Object.keys(c.terms).length > 0 && (
        <section className="card" aria-labelledby="terms">
          <h2 id="terms">Terms</h2>
          <pre className="mono small">{JSON.stringify(c.terms, null, 2)}</pre>
        </section>
      )}
      <DocumentsPanel contract={c} />
      <LedgerPanel contract={c} />

      <section className="card" aria-labelledby="history">
        <h2 id="history">History</h2>
        {history.isPending && <p role="status">Loading history…</p>}
        <ol className="timeline">
          {history.data?.data.map((t) => (
            <li key={t.seq}>
              <time dateTime={t.occurredAt}>{new Date(t.occurredAt).toLocaleString()}</time> <strong>{t.action}</strong>{' '}
              → <StatusBadge status={t.toStatus} />
              <span className="muted small"> by {shortDid(t.actorDid)}</span>
              {t.reason && <span className="small"> — “{t.reason}”</span>}
            </li>
          ))}
        </ol>
      </section>
      <p className="muted small">
        Content hash <Mono>{c.contentHash}</Mono> · version {c.version} · revision {c.revision}
      </p>
    </>
  );
}

function NotFound() {
  return (
    <>
      <h1>Contract not found</h1>
      <p>It does not exist, or you are neither in its organization nor one of its parties.</p>
      <Link to="/contracts">All contracts</Link>
    </>
  );
}

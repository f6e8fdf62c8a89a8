// The contract's documents, by name and SHA-256: download each (the SDK refuses bytes that do not hash to
// the SHA-256 the contract binds), view a PDF in the page (pdf.js, loaded only then), and, where the caller is
// about to sign, every document fetched and its hash recomputed in this browser before consent.
import { useCmsClient } from '@cms/react';
import type { Contract } from '@cms/sdk';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Mono } from '../../components/Hash';
import { downloadFile, sha256Hex } from '../../identity/download';

const PdfViewer = lazy(() => import('../../components/PdfViewer'));
type ContractDocument = Contract['documents'][number];

/** A document's bytes, fetched once (content-addressed: they never change) and checked against its SHA-256. */
function useDocument(contractId: string, document: ContractDocument, enabled: boolean) {
  const cms = useCmsClient();
  return useQuery({
    queryKey: ['cms', 'contracts', 'document', contractId, document.sha256],
    queryFn: async ({ signal }) => {
      const bytes = await cms.contracts.document(contractId, document.sha256, { signal });
      return { bytes, recomputed: await sha256Hex(bytes) };
    },
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

export function DocumentsPanel({ contract, checkHashes = false }: { contract: Contract; checkHashes?: boolean }) {
  if (contract.documents.length === 0) return null;
  return (
    <section className="card" aria-labelledby="documents">
      <h2 id="documents">Documents</h2>
      <ul className="plain documents">
        {contract.documents.map((d) => (
          <DocumentRow key={d.sha256} contractId={contract.id} document={d} checkHash={checkHashes} />
        ))}
      </ul>
    </section>
  );
}

function DocumentRow({
  contractId,
  document: d,
  checkHash,
}: {
  contractId: string;
  document: ContractDocument;
  checkHash: boolean;
}) {
  const [wanted, setWanted] = useState<'view' | 'download' | undefined>(checkHash ? 'view' : undefined);
  const file = useDocument(contractId, d, wanted !== undefined);
  const isPdf = d.mediaType === 'application/pdf' || /\.pdf$/i.test(d.name);

  const download = async () => {
    setWanted((w) => w ?? 'download');
    const { data } = file.data ? file : await file.refetch();
    if (data) downloadFile(d.name, data.bytes, d.mediaType ?? 'application/octet-stream');
  };

  return (
    <li data-document={d.sha256}>
      <div className="row between wrap">
        <span>
          <strong>{d.name}</strong> <span className="muted small">{d.mediaType}</span>
        </span>
        <span className="row">
          {isPdf && wanted !== 'view' && (
            <button type="button" className="button ghost" onClick={() => setWanted('view')}>
              View {d.name}
            </button>
          )}
          <button type="button" className="button ghost" onClick={() => void download()}>
            Download {d.name}
          </button>
        </span>
      </div>
      SHA-256 <Mono>{d.sha256}</Mono>
      {file.data && (
        <p className="ok small" data-testid="document-hash-check">
          Recomputed in this browser: <Mono>{file.data.recomputed}</Mono> — matches.
        </p>
      )}
      {file.isFetching && <p role="status">Fetching {d.name}…</p>}
      <ErrorMessage error={file.error} />
      {wanted === 'view' && isPdf && file.data && (
        <Suspense fallback={<p role="status">Loading the PDF viewer…</p>}>
          <PdfViewer bytes={file.data.bytes} name={d.name} />
        </Suspense>
      )}
    </li>
  );
}

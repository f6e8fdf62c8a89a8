// The contract's documents, by name and SHA-256.
// Extension point (issue #16, file upload and PDF): when `/v1/files` exists, render each PDF here with a
// lazily imported `pdfjs-dist` viewer and offer the completed PDF and certificate downloads; the list and
// the hashes below are what the content hash already binds.
import type { Contract } from '@cms/sdk';
import { Mono } from '../../components/Hash';

export function DocumentsPanel({ contract }: { contract: Contract }) {
  if (contract.documents.length === 0) return null;
  return (
    <section className="card" aria-labelledby="documents">
      <h2 id="documents">Documents</h2>
      <ul className="plain">
        {contract.documents.map((d) => (
          <li key={d.sha256}>
            {d.name} <span className="muted small">{d.mediaType}</span>
            <br />
            SHA-256 <Mono>{d.sha256}</Mono>
          </li>
        ))}
      </ul>
    </section>
  );
}

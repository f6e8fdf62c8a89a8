// The wizard's documents: drop or choose files; each is hashed here (SHA-256, shown at once), uploaded to
// the organization's files with that hash as its Content-Digest, and listed with the hash the server stored.
import { useCmsClient } from '@cms/react';
import { type Dispatch, type DragEvent, type SetStateAction, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Mono } from '../../components/Hash';
import { sha256Hex } from '../../identity/download';

export interface WizardDocument {
  key: string;
  name: string;
  size: number;
  state: 'hashing' | 'uploading' | 'stored' | 'failed';
  sha256?: string;
  error?: unknown;
}

const PHASE = { hashing: 0, uploading: 1, stored: 2, failed: 2 } as const;
const PHASE_LABEL = { hashing: 'hashing', uploading: 'uploading', stored: 'stored', failed: 'failed' } as const;
const ACCEPT = 'application/pdf,.pdf,image/png,image/jpeg,text/plain,.txt,.md';

export const uploadsPending = (documents: WizardDocument[]) =>
  documents.some((d) => d.state === 'hashing' || d.state === 'uploading');

export function DocumentsStep({
  documents,
  setDocuments,
}: {
  documents: WizardDocument[];
  setDocuments: Dispatch<SetStateAction<WizardDocument[]>>;
}) {
  const cms = useCmsClient();
  const [dragging, setDragging] = useState(false);

  const update = (key: string, change: Partial<WizardDocument>) =>
    setDocuments((all) => all.map((d) => (d.key === key ? { ...d, ...change } : d)));

  const add = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const key = crypto.randomUUID();
      setDocuments((all) => [...all, { key, name: file.name, size: file.size, state: 'hashing' }]);
      void (async () => {
        try {
          const bytes = new Uint8Array(await file.arrayBuffer());
          const sha256 = await sha256Hex(bytes);
          update(key, { state: 'uploading', sha256 });
          const stored = await cms.files.upload(bytes, file.type ? { mediaType: file.type } : {});
          if (stored.sha256 !== sha256) throw new Error(`the server stored ${stored.sha256}, not ${sha256}`);
          update(key, { state: 'stored' });
        } catch (error) {
          update(key, { state: 'failed', error });
        }
      })();
    }
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    add(e.dataTransfer.files);
  };

  return (
    <>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop zone only adds drag and drop; the file input inside it is the accessible control */}
      <div
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(e) => (e.preventDefault(), setDragging(true))}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <label className="field">
          <span>Documents (PDF, PNG, JPEG, text; optional) — drop them here or choose them</span>
          <input
            type="file"
            name="documents"
            multiple
            accept={ACCEPT}
            onChange={(e) => {
              add(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
      </div>
      <ul className="plain documents" aria-live="polite">
        {documents.map((d) => (
          <li key={d.key} data-upload={d.state}>
            <div className="row between wrap">
              <span>
                <strong>{d.name}</strong> <span className="muted small">{(d.size / 1024).toFixed(1)} kB</span>
              </span>
              <button
                type="button"
                className="button ghost"
                onClick={() => setDocuments((all) => all.filter((x) => x.key !== d.key))}
              >
                Remove {d.name}
              </button>
            </div>
            <progress
              max={2}
              value={PHASE[d.state]}
              aria-label={`${d.name}: ${PHASE_LABEL[d.state]}`}
              className={d.state === 'failed' ? 'failed' : undefined}
            />{' '}
            <span className="small">{PHASE_LABEL[d.state]}</span>
            {d.sha256 && (
              <p className="small">
                SHA-256 <Mono>{d.sha256}</Mono>
              </p>
            )}
            <ErrorMessage error={d.error} />
          </li>
        ))}
      </ul>
    </>
  );
}

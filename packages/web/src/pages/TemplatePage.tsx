// One template: its draft, published versions, publish, and a preview with sample values.
import { useCmsClient, useTemplate, useTemplateAction, useTemplateVersions } from '@cms/react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage';
import { Mono } from '../components/Hash';
import { type JsonSchema, SchemaForm, schemaDefaults } from '../components/SchemaForm';
import { HighlightedBody } from './TemplatesPage';

export default function TemplatePage() {
  const { templateId = '' } = useParams();
  const template = useTemplate(templateId);
  const versions = useTemplateVersions(templateId);
  const action = useTemplateAction();
  const cms = useCmsClient();
  const [sample, setSample] = useState<Record<string, unknown>>();
  const [preview, setPreview] = useState<string>();
  const [previewError, setPreviewError] = useState<unknown>();
  if (template.isPending) return <p role="status">Loading template…</p>;
  if (template.isError) return <ErrorMessage error={template.error} />;
  const t = template.data;
  const schema = t.draft.variables as JsonSchema;
  const values = sample ?? schemaDefaults(schema);
  const runPreview = async () => {
    setPreviewError(undefined);
    try {
      setPreview((await cms.templates.preview(t.id, { draft: true, variables: values })).body);
    } catch (e) {
      setPreviewError(e);
    }
  };
  return (
    <>
      <p>
        <Link to="/templates">Templates</Link>
      </p>
      <h1>{t.name}</h1>
      <p className="muted">
        {t.status} · draft hash <Mono>{t.draftHash}</Mono>
      </p>
      <div className="row">
        <button
          type="button"
          className="button primary"
          disabled={t.draftPublished || action.isPending || t.status === 'archived'}
          onClick={() => action.mutate({ action: 'publish', templateId: t.id, ifMatch: t.revision })}
        >
          {t.draftPublished ? 'Draft is published' : 'Publish the draft'}
        </button>
        {t.latestVersion && (
          <Link className="button" to="/contracts/new">
            Use in a new contract
          </Link>
        )}
      </div>
      <ErrorMessage error={action.error} />
      <section className="card" aria-labelledby="draft">
        <h2 id="draft">Draft</h2>
        <HighlightedBody body={t.draft.body} />
        <p className="muted small">Roles: {t.draft.roles.map((r) => `${r.label} (${r.key})`).join(', ') || 'none'}</p>
      </section>
      <section className="card" aria-labelledby="preview">
        <h2 id="preview">Preview with sample values</h2>
        <SchemaForm schema={schema} value={values} onChange={setSample} />
        <button type="button" className="button" onClick={() => void runPreview()}>
          Render preview
        </button>
        <ErrorMessage error={previewError} />
        {preview !== undefined && <pre className="contract-body">{preview}</pre>}
      </section>
      <section className="card" aria-labelledby="versions">
        <h2 id="versions">Published versions</h2>
        <ol className="plain">
          {versions.data?.data.map((v) => (
            <li key={v.version}>
              v{v.version} · {new Date(v.publishedAt).toLocaleString()} · <Mono>{v.hash}</Mono>
            </li>
          ))}
        </ol>
        {versions.data?.data.length === 0 && <p className="muted">Not published yet.</p>}
      </section>
    </>
  );
}

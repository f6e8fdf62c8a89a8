// Templates: the list, and a new template (Markdown body with its placeholders highlighted, the variables'
// JSON Schema with a live preview of the form it generates, role placeholders).
import { useTemplateAction, useTemplates } from '@cms/react';
import type { Template } from '@cms/sdk';
import { type FormEvent, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage';
import { type JsonSchema, SchemaForm } from '../components/SchemaForm';

const EXAMPLE_SCHEMA = JSON.stringify(
  {
    type: 'object',
    required: ['city'],
    properties: { city: { type: 'string', title: 'City', description: 'Where the contract is signed' } },
  },
  null,
  2,
);

/** The body with each `{{placeholder}}` wrapped in <mark>, for the preview. */
export function HighlightedBody({ body }: { body: string }) {
  const parts = body.split(/(\{\{[^}]*\}\})/g);
  return (
    <pre className="contract-body">
      {parts.map((part, i) => (part.startsWith('{{') ? <mark key={i}>{part}</mark> : part))}
    </pre>
  );
}

export default function TemplatesPage() {
  const list = useTemplates();
  const action = useTemplateAction();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [body, setBody] = useState(
    '# Agreement\n\nSigned in {{city}} by {{roles.Client.name}} and {{roles.Provider.name}}.',
  );
  const [schemaText, setSchemaText] = useState(EXAMPLE_SCHEMA);
  const [rolesText, setRolesText] = useState('Client, Provider');
  const [sample, setSample] = useState<Record<string, unknown>>({});
  const schema = useMemo(() => {
    try {
      return JSON.parse(schemaText) as JsonSchema;
    } catch {
      return undefined;
    }
  }, [schemaText]);
  const templates = list.data?.pages.flatMap((p) => p.data) ?? [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!schema) return;
    const roles = rolesText
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean)
      .map((key, i) => ({ key, signingOrder: i + 1 }));
    const created = (await action.mutateAsync({
      action: 'create',
      input: { name, body, variables: schema as Record<string, unknown>, roles },
    })) as Template;
    navigate(`/templates/${created.id}`);
  };

  return (
    <>
      <h1>Templates</h1>
      <ErrorMessage error={list.error} />
      {templates.length > 0 ? (
        <ul className="plain">
          {templates.map((t) => (
            <li key={t.id}>
              <Link to={`/templates/${t.id}`}>{t.name}</Link>{' '}
              <span className="muted small">
                {t.status}
                {t.latestVersion ? `, v${t.latestVersion}` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        list.isSuccess && <p className="muted">No templates yet.</p>
      )}
      <form className="card" aria-labelledby="new-template" onSubmit={(e) => void submit(e).catch(() => undefined)}>
        <h2 id="new-template">New template</h2>
        <label className="field">
          <span>Name</span>
          <input name="template-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <div className="grid-2">
          <label className="field">
            <span>Body (Markdown with {'{{placeholders}}'})</span>
            <textarea rows={8} value={body} onChange={(e) => setBody(e.target.value)} required />
          </label>
          <div>
            <p className="muted small">Preview</p>
            <HighlightedBody body={body} />
          </div>
          <label className="field">
            <span>Variables (JSON Schema)</span>
            <textarea
              rows={8}
              className="mono"
              value={schemaText}
              onChange={(e) => setSchemaText(e.target.value)}
              aria-invalid={!schema}
            />
            {!schema && <small className="field-error">Not valid JSON.</small>}
          </label>
          <div>
            <p className="muted small">The form it generates</p>
            {schema && <SchemaForm schema={schema} value={sample} onChange={setSample} validate={false} />}
          </div>
        </div>
        <label className="field">
          <span>Role placeholders (comma-separated, in signing order)</span>
          <input value={rolesText} onChange={(e) => setRolesText(e.target.value)} />
        </label>
        <ErrorMessage error={action.error} />
        <button type="submit" className="button primary" disabled={action.isPending || !schema}>
          Create template
        </button>
      </form>
    </>
  );
}

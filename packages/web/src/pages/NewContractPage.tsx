// The create wizard: 1. a template (or a blank contract), 2. documents uploaded (drag and drop, progress,
// hash shown) and referenced by SHA-256, 3. the template's variables in a form generated from its JSON
// Schema, 4. the parties by DID with roles and signing order, 5. review, create, send.
import { useContractAction, useCreateContract, useTemplates, useTemplateVersion } from '@cms/react';
import type { ContractCreate, TemplateRole } from '@cms/sdk';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useCurrentToken } from '../app/session';
import { ErrorMessage, fieldErrorsOf } from '../components/ErrorMessage';
import { type JsonSchema, SchemaForm, schemaDefaults } from '../components/SchemaForm';
import { DocumentsStep, uploadsPending, type WizardDocument } from './new-contract/DocumentsStep';

type PartyRow = { did: string; name: string; role: 'signer' | 'approver' | 'viewer' | 'cc'; signingOrder: number };
const STEPS = ['Template', 'Documents', 'Details', 'Parties', 'Review'] as const;
const DID_PATTERN = '^did:[a-z0-9]+:.+$';

export default function NewContractPage() {
  const navigate = useNavigate();
  const token = useCurrentToken();
  const [step, setStep] = useState(0);
  const [templateId, setTemplateId] = useState<string>('');
  const [title, setTitle] = useState('');
  const [variables, setVariables] = useState<Record<string, unknown>>({});
  const [roleParties, setRoleParties] = useState<Record<string, { did: string; name: string }>>({});
  const [parties, setParties] = useState<PartyRow[]>([{ did: '', name: '', role: 'signer', signingOrder: 1 }]);
  const [sendNow, setSendNow] = useState(true);
  const [documents, setDocuments] = useState<WizardDocument[]>([]);
  const heading = useRef<HTMLHeadingElement>(null);

  const templates = useTemplates({ status: 'published' });
  const published = templates.data?.pages.flatMap((p) => p.data).filter((t) => t.latestVersion !== null) ?? [];
  const chosen = published.find((t) => t.id === templateId);
  const version = useTemplateVersion(templateId, chosen?.latestVersion ?? 1, { enabled: !!chosen });
  const schema = (version.data?.content.variables ?? {}) as JsonSchema;
  const roles = (version.data?.content.roles ?? []) as (TemplateRole & { label: string; signingOrder: number })[];
  const create = useCreateContract();
  const send = useContractAction();

  useEffect(() => {
    if (version.data) setVariables(schemaDefaults(version.data.content.variables as JsonSchema));
  }, [version.data]);
  useEffect(() => heading.current?.focus(), [step]);

  const documentRefs = documents
    .filter((d) => d.state === 'stored' && d.sha256)
    .map((d) => ({ name: d.name, sha256: d.sha256! }));
  const withDocuments = (create: ContractCreate): ContractCreate =>
    documentRefs.length ? { ...create, documents: documentRefs } : create;
  const input = (): ContractCreate =>
    withDocuments(
      chosen
        ? {
            ...(title ? { title } : {}),
            template: { id: chosen.id, version: chosen.latestVersion!, variables },
            parties: Object.fromEntries(
              Object.entries(roleParties)
                .filter(([, p]) => p.did)
                .map(([key, p]) => [key, { did: p.did, ...(p.name ? { name: p.name } : {}) }]),
            ),
          }
        : {
            title,
            parties: parties
              .filter((p) => p.did)
              .map((p) => ({
                did: p.did,
                role: p.role,
                signingOrder: p.signingOrder,
                ...(p.name ? { name: p.name } : {}),
              })),
          },
    );

  const serverFieldErrors = Object.fromEntries(
    fieldErrorsOf(create.error).flatMap((e) => {
      const m = /^\/body\/template\/variables\/?([^/]*)/.exec(e.path);
      return m ? [[m[1] || '', e.message]] : [];
    }),
  );

  const submit = async () => {
    const contract = await create.mutateAsync(input());
    if (sendNow) await send.mutateAsync({ action: 'send', contractId: contract.id, ifMatch: contract.revision });
    navigate(`/contracts/${contract.id}`);
  };

  const next = (e: React.FormEvent) => {
    e.preventDefault();
    if (step < STEPS.length - 1) setStep(step + 1);
    else void submit().catch(() => undefined);
  };

  return (
    <>
      <h1>New contract</h1>
      <ol className="wizard-steps" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === step ? 'step' : undefined} className={i < step ? 'done' : undefined}>
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      <form className="card" onSubmit={next} aria-labelledby="step-heading">
        <h2 id="step-heading" ref={heading} tabIndex={-1}>
          {STEPS[step]}
        </h2>
        {step === 0 && (
          <fieldset>
            <legend className="sr-only">Start from</legend>
            <label className="check">
              <input
                type="radio"
                name="template"
                value=""
                checked={templateId === ''}
                onChange={() => setTemplateId('')}
              />
              <span>A blank contract</span>
            </label>
            {published.map((t) => (
              <label className="check" key={t.id}>
                <input
                  type="radio"
                  name="template"
                  value={t.id}
                  checked={templateId === t.id}
                  onChange={() => setTemplateId(t.id)}
                />
                <span>
                  {t.name}{' '}
                  <span className="muted small">
                    v{t.latestVersion}
                    {t.description ? ` — ${t.description}` : ''}
                  </span>
                </span>
              </label>
            ))}
            {templates.isPending && <p role="status">Loading templates…</p>}
          </fieldset>
        )}
        {step === 1 && <DocumentsStep documents={documents} setDocuments={setDocuments} />}
        {step === 2 && (
          <>
            <div className="field">
              <label htmlFor="title">Title{chosen ? ` (default: ${chosen.name})` : ''}</label>
              <input
                id="title"
                value={title}
                onChange={(e) => setTitle(e.target.value)}
                required={!chosen}
                maxLength={200}
              />
            </div>
            {chosen && version.data && (
              <SchemaForm schema={schema} value={variables} onChange={setVariables} errors={serverFieldErrors} />
            )}
            {chosen && version.isPending && <p role="status">Loading the template…</p>}
          </>
        )}
        {step === 3 && chosen && (
          <div className="parties-form">
            {roles.map((role) => (
              <fieldset key={role.key}>
                <legend>
                  {role.label}{' '}
                  <span className="muted small">
                    ({role.partyRole ?? 'signer'}, signing order {role.signingOrder ?? 1})
                  </span>
                </legend>
                {role.did ? (
                  <p className="mono small">Fixed by the template: {role.did}</p>
                ) : (
                  <>
                    <label className="field">
                      <span>DID</span>
                      <input
                        name={`role-${role.key}-did`}
                        required
                        pattern={DID_PATTERN}
                        value={roleParties[role.key]?.did ?? ''}
                        onChange={(e) =>
                          setRoleParties({
                            ...roleParties,
                            [role.key]: { name: roleParties[role.key]?.name ?? '', did: e.target.value.trim() },
                          })
                        }
                      />
                    </label>
                    <label className="field">
                      <span>Name</span>
                      <input
                        name={`role-${role.key}-name`}
                        value={roleParties[role.key]?.name ?? ''}
                        onChange={(e) =>
                          setRoleParties({
                            ...roleParties,
                            [role.key]: { did: roleParties[role.key]?.did ?? '', name: e.target.value },
                          })
                        }
                      />
                    </label>
                  </>
                )}
              </fieldset>
            ))}
          </div>
        )}
        {step === 3 && !chosen && (
          <div className="parties-form">
            {parties.map((p, i) => (
              <fieldset key={i}>
                <legend>Party {i + 1}</legend>
                <label className="field">
                  <span>DID</span>
                  <input
                    name={`party-${i}-did`}
                    required
                    pattern={DID_PATTERN}
                    value={p.did}
                    onChange={(e) =>
                      setParties(parties.map((q, j) => (j === i ? { ...q, did: e.target.value.trim() } : q)))
                    }
                  />
                </label>
                <label className="field">
                  <span>Name</span>
                  <input
                    name={`party-${i}-name`}
                    value={p.name}
                    onChange={(e) => setParties(parties.map((q, j) => (j === i ? { ...q, name: e.target.value } : q)))}
                  />
                </label>
                <div className="row">
                  <label className="field inline">
                    <span>Role</span>
                    <select
                      value={p.role}
                      onChange={(e) =>
                        setParties(
                          parties.map((q, j) => (j === i ? { ...q, role: e.target.value as PartyRow['role'] } : q)),
                        )
                      }
                    >
                      <option value="signer">Signer</option>
                      <option value="approver">Approver</option>
                      <option value="viewer">Viewer</option>
                      <option value="cc">CC</option>
                    </select>
                  </label>
                  <label className="field inline">
                    <span>Signing order</span>
                    <input
                      type="number"
                      min={1}
                      max={100}
                      value={p.signingOrder}
                      onChange={(e) =>
                        setParties(
                          parties.map((q, j) => (j === i ? { ...q, signingOrder: Number(e.target.value) } : q)),
                        )
                      }
                    />
                  </label>
                  <button
                    type="button"
                    className="button ghost"
                    onClick={() => setParties(parties.filter((_, j) => j !== i))}
                    disabled={parties.length === 1}
                  >
                    Remove party {i + 1}
                  </button>
                </div>
              </fieldset>
            ))}
            <div className="row">
              <button
                type="button"
                className="button"
                onClick={() => setParties([...parties, { did: '', name: '', role: 'signer', signingOrder: 1 }])}
              >
                Add a party
              </button>
              {token && (
                <button
                  type="button"
                  className="button ghost"
                  onClick={() =>
                    setParties([...parties, { did: token.did, name: '', role: 'signer', signingOrder: 1 }])
                  }
                >
                  Add myself
                </button>
              )}
            </div>
          </div>
        )}
        {step === 4 && (
          <>
            <pre className="mono small review">{JSON.stringify(input(), null, 2)}</pre>
            <label className="check">
              <input type="checkbox" checked={sendNow} onChange={(e) => setSendNow(e.target.checked)} />
              <span>Send for signature right away</span>
            </label>
            <ErrorMessage error={create.error ?? send.error} />
          </>
        )}
        <div className="row end">
          {step > 0 && (
            <button type="button" className="button ghost" onClick={() => setStep(step - 1)}>
              Back
            </button>
          )}
          <button
            type="submit"
            className="button primary"
            disabled={create.isPending || send.isPending || (step === 1 && uploadsPending(documents))}
          >
            {step < STEPS.length - 1 ? 'Next' : sendNow ? 'Create and send' : 'Create draft'}
          </button>
        </div>
      </form>
    </>
  );
}

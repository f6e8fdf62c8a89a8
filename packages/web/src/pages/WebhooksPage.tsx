// Webhooks (owners and admins): endpoints (add, enable/disable, rotate the secret, send a test ping, delete)
// and each endpoint's delivery log with the status of every delivery and a retry for the failed ones.
import {
  useCreateWebhook,
  useDeleteWebhook,
  useRetryWebhookDelivery,
  useRotateWebhookSecret,
  useTestWebhook,
  useUpdateWebhook,
  useWebhookDeliveries,
  useWebhooks,
} from '@cms/react';
import type { WebhookEndpoint } from '@cms/sdk';
import { type FormEvent, useEffect, useState } from 'react';
import { ErrorMessage } from '../components/ErrorMessage';
import { Mono } from '../components/Hash';

export default function WebhooksPage() {
  const endpoints = useWebhooks();
  const create = useCreateWebhook();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [secret, setSecret] = useState<{ url: string; secret: string }>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { url: url.trim(), ...(description ? { description } : {}) },
      {
        onSuccess: (created) => {
          setSecret({ url: created.url, secret: created.secret });
          setUrl('');
          setDescription('');
        },
      },
    );
  };

  return (
    <>
      <h1>Webhooks</h1>
      <p className="muted">
        Every contract event is POSTed to your endpoints, signed per Standard Webhooks (<code>webhook-id</code>,{' '}
        <code>webhook-timestamp</code>, <code>webhook-signature</code>) with the endpoint's secret, and retried with
        backoff until your server answers 2xx (docs/webhooks.md).
      </p>
      <form className="card" onSubmit={submit} aria-labelledby="new-webhook">
        <h2 id="new-webhook">New endpoint</h2>
        <label className="field">
          <span>URL (https)</span>
          <input name="webhook-url" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label className="field">
          <span>Description</span>
          <input
            name="webhook-description"
            maxLength={200}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        <button type="submit" className="button primary" disabled={create.isPending}>
          Add endpoint
        </button>
        <ErrorMessage error={create.error} />
      </form>
      {secret && <SecretOnce {...secret} onDone={() => setSecret(undefined)} />}
      <ErrorMessage error={endpoints.error} />
      {endpoints.isPending && <p role="status">Loading endpoints…</p>}
      {endpoints.data?.length === 0 && <p className="muted">No endpoints yet.</p>}
      {endpoints.data?.map((endpoint) => (
        <Endpoint key={endpoint.id} endpoint={endpoint} onSecret={setSecret} />
      ))}
    </>
  );
}

function SecretOnce({ url, secret, onDone }: { url: string; secret: string; onDone: () => void }) {
  return (
    <section className="card" aria-labelledby="secret" role="alert">
      <h2 id="secret">Signing secret for {url}</h2>
      <p>Copy it now: it is shown only this once.</p>
      <p>
        <Mono>{secret}</Mono>
      </p>
      <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(secret)}>
        Copy secret
      </button>{' '}
      <button type="button" className="button ghost" onClick={onDone}>
        I have stored it
      </button>
    </section>
  );
}

function Endpoint({
  endpoint: w,
  onSecret,
}: {
  endpoint: WebhookEndpoint;
  onSecret: (s: { url: string; secret: string }) => void;
}) {
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const rotate = useRotateWebhookSecret();
  const test = useTestWebhook();
  const [showLog, setShowLog] = useState(false);
  return (
    <section className="card" aria-label={`Endpoint ${w.url}`} data-webhook={w.id}>
      <div className="row between wrap">
        <h2 className="wrap">{w.url}</h2>
        <span className={w.enabled ? 'ok' : 'field-error'} data-enabled={w.enabled}>
          {w.enabled ? 'Enabled' : `Disabled (${w.disabledReason ?? 'manual'})`}
        </span>
      </div>
      {w.description && <p>{w.description}</p>}
      <p className="muted small">
        Events: {w.eventTypes.length ? w.eventTypes.join(', ') : 'all'} · consecutive failures {w.consecutiveFailures}
      </p>
      <div className="row wrap">
        <button
          type="button"
          className="button"
          onClick={() => update.mutate({ webhookId: w.id, changes: { enabled: !w.enabled } })}
        >
          {w.enabled ? 'Disable' : 'Enable'}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => test.mutate(w.id, { onSuccess: () => setShowLog(true) })}
        >
          Send a test ping
        </button>
        <button
          type="button"
          className="button"
          onClick={() =>
            rotate.mutate({ webhookId: w.id }, { onSuccess: (s) => onSecret({ url: w.url, secret: s.secret }) })
          }
        >
          Rotate secret
        </button>
        <button type="button" className="button ghost" aria-expanded={showLog} onClick={() => setShowLog(!showLog)}>
          {showLog ? 'Hide deliveries' : 'Deliveries'}
        </button>
        <button type="button" className="button danger" onClick={() => remove.mutate(w.id)}>
          Delete
        </button>
      </div>
      <ErrorMessage error={update.error ?? test.error ?? rotate.error ?? remove.error} />
      {showLog && <Deliveries webhookId={w.id} />}
    </section>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const deliveries = useWebhookDeliveries(webhookId);
  const retry = useRetryWebhookDelivery();
  const rows = deliveries.data?.pages.flatMap((p) => p.data) ?? [];
  // Deliveries still on their way are polled until they end (delivered or failed).
  const moving = rows.some((d) => d.status === 'pending' || d.status === 'delivering');
  const { refetch } = deliveries;
  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(() => void refetch(), 1000);
    return () => clearInterval(timer);
  }, [moving, refetch]);
  return (
    <div className="table-wrap">
      <ErrorMessage error={deliveries.error ?? retry.error} />
      <table className="table">
        <caption className="sr-only">Deliveries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last answer</th>
            <th scope="col">Created</th>
            <th scope="col">Retry</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} data-delivery={d.id} data-delivery-status={d.status}>
              <td>{d.eventType}</td>
              <td>{d.status}</td>
              <td>{d.attempts}</td>
              <td>{d.lastStatusCode ?? '—'}</td>
              <td>{new Date(d.createdAt).toLocaleString()}</td>
              <td>
                {d.status === 'failed' && (
                  <button
                    type="button"
                    className="button ghost"
                    onClick={() => retry.mutate({ webhookId, deliveryId: d.id })}
                  >
                    Retry
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !deliveries.isPending && <p className="muted small">No deliveries yet.</p>}
      {deliveries.hasNextPage && (
        <button type="button" className="button" onClick={() => void deliveries.fetchNextPage()}>
          Load more
        </button>
      )}
    </div>
  );
}

// The organization's audit log (owners, admins, auditors): every event in chain order with filters in the
// URL, and "Verify chain": the server recomputes the hash chain and checks its anchors, answering where it
// first breaks if it does.

import type { AuditEventListFilters } from '@cms/react';
import { useAuditEvents, useVerifyAuditChain } from '@cms/react';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage';
import { Mono, shortDid } from '../components/Hash';

const FILTERS = ['action', 'actorDid', 'contractId', 'from', 'to'] as const;

export default function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters: AuditEventListFilters = Object.fromEntries(
    FILTERS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])),
  );
  const events = useAuditEvents(filters);
  const verify = useVerifyAuditChain();
  const [draft, setDraft] = useState<Record<string, string>>(() =>
    Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])),
  );
  const rows = events.data?.pages.flatMap((p) => p.data) ?? [];
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const k of FILTERS) {
      const v = draft[k]?.trim();
      if (!v) continue;
      next.set(k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v);
    }
    setParams(next);
  };
  const result = verify.data;

  return (
    <>
      <h1>Audit log</h1>
      <section className="card" aria-labelledby="chain">
        <h2 id="chain">Hash chain</h2>
        <p className="muted small">
          Each event names the hash of the one before it; batches of them are anchored on chain. Verifying recomputes
          every hash and checks every anchored proof.
        </p>
        <button type="button" className="button primary" disabled={verify.isPending} onClick={() => verify.mutate()}>
          {verify.isPending ? 'Verifying…' : 'Verify chain'}
        </button>
        <ErrorMessage error={verify.error} />
        {result && (
          <div aria-live="polite" data-testid="chain-result" data-verified={result.verified}>
            <p className={result.verified ? 'ok' : 'field-error'}>
              {result.verified
                ? `The chain holds: ${result.checkedEvents} events (seq ${result.firstSeq}–${result.lastSeq}), ${result.anchoring.anchoredEvents} of them anchored and checked.`
                : 'The chain is broken.'}
            </p>
            {result.break && (
              <dl className="facts">
                <dt>First break</dt>
                <dd>{result.break.kind}</dd>
                <dt>At</dt>
                <dd>
                  seq {result.break.seq ?? '—'} <Mono>{result.break.eventId}</Mono>
                </dd>
                <dt>Expected</dt>
                <dd>
                  <Mono>{result.break.expected}</Mono>
                </dd>
                <dt>Found</dt>
                <dd>
                  <Mono>{result.break.found}</Mono>
                </dd>
              </dl>
            )}
            <p className="muted small">
              Last hash <Mono>{result.lastHash}</Mono>
            </p>
          </div>
        )}
      </section>
      <form className="card filters" onSubmit={apply} aria-label="Filters">
        <div className="row wrap end">
          <label className="field">
            <span>Action</span>
            <input
              name="action"
              value={draft.action}
              placeholder="contract.sign"
              onChange={(e) => setDraft({ ...draft, action: e.target.value })}
            />
          </label>
          <label className="field grow">
            <span>Actor DID</span>
            <input
              name="actorDid"
              value={draft.actorDid}
              onChange={(e) => setDraft({ ...draft, actorDid: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Contract id</span>
            <input
              name="contractId"
              value={draft.contractId}
              onChange={(e) => setDraft({ ...draft, contractId: e.target.value })}
            />
          </label>
          <label className="field">
            <span>From</span>
            <input
              type="datetime-local"
              name="from"
              value={draft.from ? draft.from.slice(0, 16) : ''}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            />
          </label>
          <label className="field">
            <span>To</span>
            <input
              type="datetime-local"
              name="to"
              value={draft.to ? draft.to.slice(0, 16) : ''}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            />
          </label>
          <button type="submit" className="button">
            Filter
          </button>
        </div>
      </form>
      <ErrorMessage error={events.error} />
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">Audit events, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Seq</th>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Actor</th>
              <th scope="col">Resource</th>
              <th scope="col">Hash</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id} data-audit-action={e.action}>
                <td>{e.seq}</td>
                <td>
                  <time dateTime={e.occurredAt}>{new Date(e.occurredAt).toLocaleString()}</time>
                </td>
                <td>{e.action}</td>
                <td>
                  <span title={e.actorDid ?? undefined}>{e.actorDid ? shortDid(e.actorDid) : '—'}</span>
                </td>
                <td>
                  {e.resource.type}{' '}
                  <span className="mono small" title={e.resource.id}>
                    …{e.resource.id.slice(-8)}
                  </span>
                </td>
                <td>
                  <span className="mono small" title={e.hash}>
                    {e.hash.slice(0, 12)}…
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {events.isPending && <p role="status">Loading events…</p>}
      {!events.isPending && rows.length === 0 && <p className="muted">No events match.</p>}
      {events.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={events.isFetchingNextPage}
          onClick={() => void events.fetchNextPage()}
        >
          Load more
        </button>
      )}
    </>
  );
}

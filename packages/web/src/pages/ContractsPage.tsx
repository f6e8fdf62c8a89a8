// The contract list: status filter and title search in the URL (shareable, survive reload), cursor
// pagination, and live status changes (the layout's event stream patches the cached pages).
import { useContracts } from '@cms/react';
import type { ContractStatus } from '@cms/sdk';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage';
import { StatusBadge } from '../components/StatusBadge';

const STATUSES: ContractStatus[] = [
  'draft',
  'pending',
  'partially_signed',
  'executed',
  'declined',
  'voided',
  'expired',
  'terminated',
];

export default function ContractsPage() {
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as ContractStatus | null) ?? undefined;
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  // Typing settles for 300 ms before the URL (and the query) changes.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (search === q) return;
      const next = new URLSearchParams(params);
      if (search) next.set('q', search);
      else next.delete('q');
      setParams(next, { replace: true });
    }, 300);
    return () => clearTimeout(timer);
  }, [search, q, params, setParams]);

  const list = useContracts({ limit: 20, ...(status ? { status } : {}), ...(q ? { q } : {}) });
  const contracts = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <>
      <div className="row between">
        <h1>Contracts</h1>
        <Link className="button primary" to="/contracts/new">
          New contract
        </Link>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not in every browser the app supports; role="search" is announced everywhere */}
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label className="field inline">
          <span>Status</span>
          <select
            value={status ?? ''}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set('status', e.target.value);
              else next.delete('status');
              setParams(next);
            }}
          >
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline grow">
          <span>Title contains</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
      </form>
      <ErrorMessage error={list.error} />
      {list.isPending && <p role="status">Loading contracts…</p>}
      {list.isSuccess && contracts.length === 0 && <p className="muted">No contracts match.</p>}
      {contracts.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Contracts">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Parties</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {contracts.map((c) => (
                <tr key={c.id} data-contract-id={c.id}>
                  <td>
                    <Link to={`/contracts/${c.id}`}>{c.title}</Link>
                  </td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>
                    {c.parties.filter((p) => p.status === 'signed').length}/
                    {c.parties.filter((p) => p.role === 'signer' || p.role === 'approver').length} signed
                  </td>
                  <td>{new Date(c.updatedAt).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}

// What waits for me: contracts to sign, to send, expiring soon, and counts by status.
import { useContracts } from '@cms/react';
import type { Contract, ContractStatus } from '@cms/sdk';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useCurrentToken } from '../app/session';
import { StatusBadge } from '../components/StatusBadge';

const STATUSES: ContractStatus[] = ['draft', 'pending', 'partially_signed', 'executed', 'declined', 'voided'];
const SOON_MS = 30 * 24 * 3600 * 1000;

function ContractLinks({ contracts, empty, sign }: { contracts: Contract[]; empty: string; sign?: boolean }) {
  if (contracts.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="plain">
      {contracts.map((c) => (
        <li key={c.id}>
          <Link to={sign ? `/contracts/${c.id}/sign` : `/contracts/${c.id}`}>{c.title}</Link>{' '}
          <StatusBadge status={c.status} />
        </li>
      ))}
    </ul>
  );
}

function Count({ status }: { status: ContractStatus }) {
  const list = useContracts({ status, limit: 100 });
  const page = list.data?.pages[0];
  const count = page ? `${page.data.length}${page.nextCursor ? '+' : ''}` : '…';
  return (
    <Link className="stat" to={`/contracts?status=${status}`}>
      <span className="stat-value">{count}</span>
      <StatusBadge status={status} />
    </Link>
  );
}

export default function DashboardPage() {
  const token = useCurrentToken();
  const did = token?.did;
  const navigate = useNavigate();
  const [openId, setOpenId] = useState('');
  const mine = useContracts({ partyDid: did, limit: 50 }, { enabled: !!did });
  const drafts = useContracts({ status: 'draft', limit: 20 });
  const executed = useContracts({ status: 'executed', limit: 100 });
  const toSign = (mine.data?.pages[0]?.data ?? []).filter(
    (c) =>
      ['pending', 'partially_signed'].includes(c.status) &&
      c.parties.some((p) => p.did === did && (p.status === 'sent' || p.status === 'viewed')),
  );
  const now = Date.now();
  const expiring = (executed.data?.pages[0]?.data ?? []).filter(
    (c) => c.expiresAt && Date.parse(c.expiresAt) - now < SOON_MS,
  );
  const open = (e: FormEvent) => {
    e.preventDefault();
    const id = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(openId)?.[0];
    if (id) navigate(`/contracts/${id}`);
  };
  return (
    <>
      <h1>Dashboard</h1>
      <section aria-labelledby="counts">
        <h2 id="counts">Contracts by status</h2>
        <div className="stats">
          {STATUSES.map((s) => (
            <Count key={s} status={s} />
          ))}
        </div>
      </section>
      <div className="grid-3">
        <section className="card" aria-labelledby="to-sign">
          <h2 id="to-sign">Waiting for my signature</h2>
          <ContractLinks contracts={toSign} empty="Nothing to sign." sign />
        </section>
        <section className="card" aria-labelledby="to-send">
          <h2 id="to-send">Drafts to send</h2>
          <ContractLinks contracts={drafts.data?.pages[0]?.data ?? []} empty="No drafts." />
        </section>
        <section className="card" aria-labelledby="expiring">
          <h2 id="expiring">Expiring within 30 days</h2>
          <ContractLinks contracts={expiring} empty="Nothing expires soon." />
        </section>
      </div>
      <section className="card" aria-labelledby="open-link">
        <h2 id="open-link">Open a contract sent to you</h2>
        <p className="muted small">
          Contracts of other organizations that name you as a party open from their link or id.
        </p>
        <form className="row" onSubmit={open}>
          <label className="sr-only" htmlFor="open-id">
            Contract link or id
          </label>
          <input
            id="open-id"
            value={openId}
            onChange={(e) => setOpenId(e.target.value)}
            placeholder="https://…/contracts/… or the id"
          />
          <button type="submit" className="button">
            Open
          </button>
        </form>
      </section>
    </>
  );
}

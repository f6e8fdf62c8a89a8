// Shows one server status (status badge, version, database, chain) as a definition list.
import type { ServerStatus } from './server-status';

const NOT_CONFIGURED = 'not configured';

export function StatusPanel({ status }: { status: ServerStatus }) {
  const { chain } = status;
  return (
    <section className="panel" aria-label="Server status">
      <h2>
        Server <span className={`badge badge-${status.status}`}>{status.status}</span>
      </h2>
      <dl className="facts">
        <dt>Version</dt>
        <dd>{status.version}</dd>
        <dt>Database</dt>
        <dd>{status.database.engine}</dd>
        <dt>Chain mode</dt>
        <dd>{chain.mode}</dd>
        <dt>Chain ID</dt>
        <dd>{chain.chainId ?? NOT_CONFIGURED}</dd>
        <dt>Ledger address</dt>
        <dd className={chain.ledgerAddress ? 'mono' : undefined}>{chain.ledgerAddress ?? NOT_CONFIGURED}</dd>
      </dl>
    </section>
  );
}

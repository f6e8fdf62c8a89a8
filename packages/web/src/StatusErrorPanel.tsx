// Shows why the status could not be read: the problem's title and code, or a network message.
import type { StatusError } from './fetch-status';

export function StatusErrorPanel({ error }: { error: StatusError }) {
  return (
    <section className="panel panel-error" role="alert">
      <h2>Status unavailable</h2>
      <p>{error.message}</p>
      {error.kind !== 'network' && (
        <dl className="facts">
          {error.status !== undefined && (
            <>
              <dt>HTTP status</dt>
              <dd>{error.status}</dd>
            </>
          )}
          {error.code && (
            <>
              <dt>Code</dt>
              <dd className="mono">{error.code}</dd>
            </>
          )}
          {error.requestId && (
            <>
              <dt>Request ID</dt>
              <dd className="mono">{error.requestId}</dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}

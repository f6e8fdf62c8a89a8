// A node-postgres pool that survives its server going away.
// - node-postgres emits `error` on a client whose connection breaks; the pool listens only while the
//   client is idle, so a client checked out for a transaction when PostgreSQL restarts would emit with
//   no listener, and Node would exit. Every client gets its own listener for its whole life: the query
//   in flight fails (and so only its request), and the broken client is dropped on release.
// - drizzle's transaction() releases its client only if `begin` succeeded: a connection that breaks
//   exactly then would be checked out forever, and a few of those exhaust the pool for good. A checked-
//   out client whose connection broke is released (as broken) shortly after, if its holder has not; a
//   second release by the holder is then ignored.
import pg from 'pg';

export interface PgPoolOptions {
  url: string;
  max: number;
  /** Gives up on opening a connection after this long (an unreachable host, a full server). @default 5000 */
  connectionTimeoutMs?: number;
  /** A broken checked-out client is released this long after its error unless its holder did. @default 1000 */
  releaseBrokenAfterMs?: number;
  /** Told about each connection error, once per broken client. */
  onError?: (error: Error) => void;
}

export function createPgPool(options: PgPoolOptions): pg.Pool {
  const pool = new ResilientPool(
    {
      connectionString: options.url,
      max: options.max,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
      keepAlive: true,
    },
    options.releaseBrokenAfterMs ?? 1000,
  );
  const onError = options.onError ?? (() => {});
  // Idle clients: the pool removes them and emits here.
  pool.on('error', () => {});
  // Checked-out clients (inside a transaction, or between a query and release): the listener the pool lacks.
  pool.on('connect', (client) => {
    let told = false;
    client.on('error', (error: Error) => {
      if (told) return;
      told = true;
      onError(error);
    });
  });
  return pool;
}

/** A pg.Pool (drizzle recognises it as one) whose checked-out clients cannot leak once broken. */
class ResilientPool extends pg.Pool {
  constructor(
    config: pg.PoolConfig,
    private readonly releaseBrokenAfterMs: number,
  ) {
    super(config);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): Promise<pg.PoolClient> | void {
    if (callback) return super.connect(callback as never);
    return super.connect().then((client) => {
      const release = client.release.bind(client);
      let released = false;
      let timer: NodeJS.Timeout | undefined;
      const onError = (error: Error) => {
        timer = setTimeout(() => client.release(error), this.releaseBrokenAfterMs);
        timer.unref();
      };
      client.once('error', onError);
      client.release = (err?: Error | boolean) => {
        if (released) return;
        released = true;
        clearTimeout(timer);
        client.removeListener('error', onError);
        release(err);
      };
      return client;
    });
  }
}

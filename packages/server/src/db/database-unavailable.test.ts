// Which failures count as "the database is unreachable" (503 database_unavailable, retried by clients)
// and which stay errors of the query (4xx/500): real driver errors where they can be produced here.
import { createServer, type Server } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { HttpRequestError } from 'viem';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgPool } from './create-pg-pool.js';
import { isDatabaseUnavailable } from './database-unavailable.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A TCP listener on a free loopback port that does `onConnection` with each socket. */
async function tcpServer(onConnection: (socket: import('node:net').Socket) => void): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}
const closedPort = async () => {
  const port = await tcpServer(() => {});
  await new Promise((resolve) => servers.pop()!.close(resolve));
  return port;
};
const failure = (run: () => Promise<unknown>) =>
  run().then(
    () => expect.fail('expected a failure'),
    (e: unknown) => e,
  );

describe('isDatabaseUnavailable', () => {
  it('recognises a refused connection, also wrapped by drizzle', async () => {
    const pool = createPgPool({ url: `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`, max: 1 });
    const error = await failure(() => drizzle({ client: pool }).execute(sql`select 1`));
    expect((error as Error).constructor.name).toBe('DrizzleQueryError');
    expect(error).toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    expect(isDatabaseUnavailable(error)).toBe(true);
    await pool.end();
  });

  it('recognises a connection the server closes, and a connect that times out', async () => {
    const closing = await tcpServer((socket) => socket.destroy());
    const cut = await failure(() =>
      new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${closing}/postgres` }).connect(),
    );
    expect(String(cut)).toMatch(/Connection terminated/);
    expect(isDatabaseUnavailable(cut)).toBe(true);

    const silent = await tcpServer(() => {});
    const pool = createPgPool({
      url: `postgres://postgres@127.0.0.1:${silent}/postgres`,
      max: 1,
      connectionTimeoutMs: 100,
    });
    const timedOut = await failure(() => pool.query('select 1'));
    expect(isDatabaseUnavailable(timedOut)).toBe(true);
    await pool.end();
  });

  it('recognises the server-side codes of shutdown, start-up and a full server', () => {
    const dbError = (code: string, message: string) =>
      Object.assign(new pg.DatabaseError(message, 0, 'error'), { code });
    expect(isDatabaseUnavailable(dbError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(
      isDatabaseUnavailable(dbError('57P02', 'terminating connection because of crash of another server process')),
    ).toBe(true);
    expect(isDatabaseUnavailable(dbError('57P03', 'the database system is starting up'))).toBe(true);
    expect(isDatabaseUnavailable(dbError('53300', 'sorry, too many clients already'))).toBe(true);
    expect(isDatabaseUnavailable(dbError('08006', 'connection failure'))).toBe(true);
  });

  it('recognises a closed PGlite (the embedded database during shutdown)', async () => {
    const client = await PGlite.create();
    await client.close();
    expect(isDatabaseUnavailable(await failure(() => client.query('select 1')))).toBe(true);
  });

  it('leaves errors of the query itself alone', async () => {
    const client = await PGlite.create();
    try {
      expect(isDatabaseUnavailable(await failure(() => client.query('selec 1')))).toBe(false);
      await client.exec('create table t (id int primary key)');
      await client.query('insert into t values (1)');
      expect(isDatabaseUnavailable(await failure(() => client.query('insert into t values (1)')))).toBe(false);
    } finally {
      await client.close();
    }
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it("does not take a chain node's refused connection for the database's", () => {
    const chainError = new HttpRequestError({
      url: 'http://127.0.0.1:8545',
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(isDatabaseUnavailable(chainError)).toBe(false);
  });
});

describe('createPgPool', () => {
  it('survives a connection that breaks while a client is checked out, and serves again afterwards', async () => {
    // A fake server that accepts the startup packet and then drops the connection of the checked-out client.
    let drop: (() => void) | undefined;
    const port = await tcpServer((socket) => {
      socket.once('data', () => {
        // AuthenticationOk, then ReadyForQuery: enough for node-postgres to consider the client connected.
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0, 0x5a, 0, 0, 0, 5, 0x49]));
        drop = () => socket.destroy();
      });
    });
    const errors: Error[] = [];
    const pool = createPgPool({
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      max: 1,
      onError: (e) => errors.push(e),
    });
    const client = await pool.connect();
    drop!(); // no query in flight: node-postgres emits `error` on the client, which has no pool listener now
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors.map((e) => e.message)).toEqual(['Connection terminated unexpectedly']);
    client.release();
    // The broken client was dropped: the next checkout opens a new connection.
    const next = await pool.connect();
    next.release();
    await pool.end();
  });

  it('does not leak a broken client that its holder never releases (drizzle, when `begin` fails)', async () => {
    const sockets: import('node:net').Socket[] = [];
    const port = await tcpServer((socket) => {
      socket.once('data', () => socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0, 0x5a, 0, 0, 0, 5, 0x49])));
      sockets.push(socket);
    });
    const pool = createPgPool({
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      max: 1,
      releaseBrokenAfterMs: 100,
      connectionTimeoutMs: 3000,
    });
    const leaked = await pool.connect();
    sockets[0]!.destroy();
    // max 1: this waits for the only client, which nobody releases…
    const next = await pool.connect();
    expect(next).not.toBe(leaked);
    leaked.release(); // …and a late release by the holder is harmless.
    next.release();
    await pool.end();
  });
});

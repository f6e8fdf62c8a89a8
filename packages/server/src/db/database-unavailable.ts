// Which errors mean "the database cannot be reached right now" rather than "this query is wrong": they
// are answered 503 `database_unavailable` with Retry-After (the SDK retries them), never 500.

/**
 * SQLSTATEs of a connection that failed or was refused: class 08 (connection exception),
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down,
 * in recovery), 53300 too_many_connections, 53400 configuration_limit_exceeded.
 */
const CONNECTION_SQLSTATES = /^(08...|57P01|57P02|57P03|53300|53400)$/;
/** Socket errors of the driver (node-postgres) talking to an unreachable or vanished server. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** node-postgres and pg-pool report a lost or refused connection by message only. */
const DRIVER_MESSAGES = [
  /^Connection terminated/, // "…unexpectedly", "…due to connection timeout"
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
  // PGlite (in-process) has no connection to lose; it is unavailable only once closed (shutdown).
  /^PGlite is closed$/,
];

/** True when `error` (or any error in its `cause` chain, e.g. drizzle's DrizzleQueryError) is a lost or refused database connection. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length) {
    const e = pending.pop();
    if (typeof e !== 'object' || e === null || seen.has(e)) continue;
    seen.add(e);
    // A chain node's error (viem) that carries a socket error is not the database's.
    if (isViemError(e)) continue;
    const { code, message, cause, errors } = e as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string' && (CONNECTION_SQLSTATES.test(code) || SOCKET_CODES.has(code))) return true;
    if (typeof message === 'string' && DRIVER_MESSAGES.some((m) => m.test(message))) return true;
    pending.push(cause);
    // AggregateError: Node's connect to several addresses (IPv4 and IPv6) fails with one per address.
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return false;
}

function isViemError(e: object): boolean {
  const { shortMessage, version } = e as { shortMessage?: unknown; version?: unknown };
  // viem's BaseError: every chain (RPC, transport) failure; its `version` is viem's.
  return typeof shortMessage === 'string' && typeof version === 'string' && 'metaMessages' in e;
}

/** Seconds a client is asked to wait before retrying a request that found the database unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

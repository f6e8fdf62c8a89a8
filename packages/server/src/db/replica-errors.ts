// Which errors of a read replica mean "this replica cannot serve now" (it is ejected and the read goes
// elsewhere) rather than "this query is wrong" (the caller gets the error).

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now (starting up, or recovery not yet consistent),
// too_many_connections; and all of class 08 (connection exception).
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const MESSAGES =
  /connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|the database system is (starting up|shutting down|in recovery mode)/i;

/** The replica is unreachable, going away or refusing connections. */
export function isReplicaUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  // drizzle wraps driver errors ("Failed query: …") with the driver's error as the cause.
  return e.cause !== undefined && e.cause !== error && isReplicaUnavailable(e.cause);
}

/** A hot standby cancelled the query because replay needed what it read: the primary can answer it. */
export function isRecoveryConflict(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (
    (e.code === '40001' || e.code === '40P01') &&
    typeof e.message === 'string' &&
    /conflict with recovery/i.test(e.message)
  )
    return true;
  return e.cause !== undefined && e.cause !== error && isRecoveryConflict(e.cause);
}

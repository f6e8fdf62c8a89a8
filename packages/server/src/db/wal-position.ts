// PostgreSQL WAL positions (LSNs, `X/Y` in hex) as numbers that compare, and as fixed-width strings that
// compare the same way as text (what the shared store keeps, see write-positions.ts).

/** `16/B374D848` → 0x16B374D848n. */
export function parseLsn(text: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!m) throw new TypeError(`not a WAL position: ${text}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** 16 hex digits, zero-padded: text order is numeric order. */
export const lsnKey = (lsn: bigint): string => lsn.toString(16).padStart(16, '0');
export const lsnFromKey = (key: string): bigint => BigInt(`0x${key}`);

const PAGE = 8192n;
const SHORT_PAGE_HEADER = 24n;

/**
 * The position a replica must have replayed to hold everything committed before `insertLsn`
 * (`pg_current_wal_insert_lsn()` after a commit). An insert position just past a WAL page header is
 * reported after the header, while a replica that replayed everything before it reports the page start:
 * no record ends inside a header, so the page start is the same point.
 */
export function visibleAt(insertLsn: bigint): bigint {
  return insertLsn % PAGE === SHORT_PAGE_HEADER ? insertLsn - SHORT_PAGE_HEADER : insertLsn;
}

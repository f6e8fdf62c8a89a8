// Conditional GET (RFC 9110 §13): strong ETags for JSON representations and 304 Not Modified when the
// client's If-None-Match already names the current one.
import { createHash } from 'node:crypto';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';

/** A representation of a `T` ready to send: its ETag and JSON text, or no text when the client's copy is current. */
export interface Representation<T> {
  etag: string;
  /** `T` as JSON; undefined means "not modified" (answer 304). */
  json?: string;
  /** Type only: what `json` encodes, so the spec still checks the body a handler sends. */
  readonly __body?: T;
}

/** A strong ETag naming `text` exactly: 132 bits of its SHA-256, base64url. */
export function hashEtag(text: string): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 22)}"`;
}

/**
 * Whether `If-None-Match` names `etag` (or is `*`). If-None-Match uses the weak comparison, so `W/`
 * prefixes are ignored (RFC 9110 §13.1.2).
 */
export function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => strip(t) === '*' || strip(t) === strip(etag));
}

/** A body whose ETag is the hash of its JSON (lists, history, ledger records), or 304 when unchanged. */
export function representationOf<T extends object>(body: T, ifNoneMatch: string | undefined): Representation<T> {
  const json = JSON.stringify(body);
  const etag = hashEtag(json);
  return noneMatchHits(ifNoneMatch, etag) ? { etag } : { etag, json };
}

/** What `c.json(body, 200)` returns: the type a generated route checks its handler's response against. */
type JsonOk<T> = Response & TypedResponse<JSONParsed<T>, 200, 'json'>;

/**
 * Answers 200 with the JSON, or 304 with no body; both carry the ETag and `cacheControl`. Typed as the
 * 200 so the spec keeps checking the body; a 304 has no body to check (the spec documents it).
 */
export function sendRepresentation<T extends object>(
  c: Context,
  r: Representation<T>,
  cacheControl: string,
): JsonOk<T> {
  const headers = { etag: r.etag, 'cache-control': cacheControl };
  const response =
    r.json === undefined
      ? c.body(null, 304, headers)
      : c.body(r.json, 200, { ...headers, 'content-type': 'application/json' });
  return response as unknown as JsonOk<T>;
}

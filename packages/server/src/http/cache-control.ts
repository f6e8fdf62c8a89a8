// Cache-Control values, one per kind of response (docs/caching.md explains each choice), and the
// `/v1` default: responses that do not say otherwise (tokens, sessions, errors) are never stored.
import type { MiddlewareHandler } from 'hono';

export const CACHE_CONTROL = {
  /** Tenant data: a browser may keep it but revalidates (If-None-Match) before every use; no shared cache. */
  private: 'private, no-cache',
  /** A confirmed anchoring batch: final unless the chain loses the anchor, but shown only to organizations with an event in it. */
  confirmedBatch: 'private, max-age=86400',
  /** A confirmed event proof: final like its batch, but scoped to one organization, so browsers only. */
  confirmedProof: 'private, max-age=86400',
  /** Secrets and anything else not meant to be kept. */
  none: 'no-store',
} as const;

/** Sets `Cache-Control: no-store` on every response whose handler did not choose a policy. */
export function noStoreByDefault(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', CACHE_CONTROL.none);
  };
}

// `cms.audit`: the organization's hash-chained audit trail (docs/compliance.md): its events page by page,
// the server's check of the chain, and the signed export (JSON Lines or CSV) to check offline with
// `checkAuditChain`.
import type { components, paths } from '../generated/schema.js';
import type { RequestOptions } from '../transport/request-options.js';
import type { Api } from './api.js';
import { type PagePromise, pagePromise } from './page-promise.js';

type S = components['schemas'];
/** An audit event exactly as hashed into the chain. */
export type AuditEvent = S['EvidenceEvent'];
export type AuditEventList = S['AuditEventList'];
export type AuditVerification = S['AuditVerification'];
export type AuditVerifyBreak = S['AuditVerifyBreak'];
/** One line of a JSON Lines export: the hashed event plus its ledger anchor. */
export type AuditExportLine = S['AuditExportLine'];
export type AuditExportAnchor = S['AuditExportAnchor'];
/** The last line of an export: the signed manifest. */
export type AuditExportTrailer = S['AuditExportTrailer'];
export type AuditExportManifest = S['AuditExportManifest'];
export type ListAuditEventsParams = NonNullable<paths['/v1/audit/events']['get']['parameters']['query']>;
export type VerifyAuditTrailParams = NonNullable<paths['/v1/audit/verify']['get']['parameters']['query']>;
export type ExportAuditTrailParams = NonNullable<paths['/v1/audit/export']['get']['parameters']['query']>;

export interface AuditResources {
  /** The audit trail, oldest first (chain order); `for await` walks every page. Needs `audit:read`. */
  events(params?: ListAuditEventsParams, options?: RequestOptions): PagePromise<AuditEventList, AuditEvent>;
  /** The server recomputes the chain (of `[from, to)` when given) and checks its anchors; a break is `verified: false`. */
  verify(params?: VerifyAuditTrailParams, options?: RequestOptions): Promise<AuditVerification>;
  /**
   * The export as it streams from the server: JSON Lines (`AuditExportLine`s, then an `AuditExportTrailer`)
   * or CSV (`format: 'csv'`). Read it with `new Response(stream).text()` or pipe it to a file.
   */
  export(params?: ExportAuditTrailParams, options?: RequestOptions): Promise<ReadableStream<Uint8Array>>;
}

export function createAuditResources({ raw, unwrap, call }: Api): AuditResources {
  return {
    events: (query, options) =>
      pagePromise(
        (cursor) => unwrap(raw.GET('/v1/audit/events', { params: { query: { ...query, cursor } }, ...call(options) })),
        query?.cursor,
      ),
    verify: (query, options) => unwrap(raw.GET('/v1/audit/verify', { params: { query }, ...call(options) })),
    export: async (query, options) =>
      (await unwrap(
        raw.GET('/v1/audit/export', { params: { query }, parseAs: 'stream', ...call(options) }),
      )) as ReadableStream<Uint8Array>,
  };
}

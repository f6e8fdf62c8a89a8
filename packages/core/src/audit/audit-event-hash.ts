// The hash of an audit event: what the ledger anchors, and what a verifier recomputes from an evidence
// bundle. Each event names the previous event's hash, so one anchored event vouches for its whole history.
import { bytesToHex, utf8ToBytes } from '../bytes.js';
import { canonicalJson } from '../canonical/canonical-json.js';

/** The hash of the event before the first one of a chain. */
export const GENESIS_HASH = `0x${'0'.repeat(64)}` as const;

export interface AuditEventContent {
  id: string;
  organizationId: string;
  seq: number;
  /** ISO 8601 with milliseconds, UTC (`Date.prototype.toISOString`). */
  occurredAt: string;
  actorDid: string;
  action: string;
  resource: { type: string; id: string };
  data: Record<string, unknown>;
  prevHash: string;
}

/** `0x` + SHA-256 of the RFC 8785 canonical form of `{ type: 'cms.audit-event.v1', event }`. */
export async function computeAuditEventHash(event: AuditEventContent): Promise<`0x${string}`> {
  const { id, organizationId, seq, occurredAt, actorDid, action, resource, data, prevHash } = event;
  const bytes = utf8ToBytes(
    canonicalJson({
      type: 'cms.audit-event.v1',
      event: { id, organizationId, seq, occurredAt, actorDid, action, resource, data, prevHash },
    }),
  );
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return `0x${bytesToHex(new Uint8Array(digest))}`;
}

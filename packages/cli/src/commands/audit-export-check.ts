// Checks a JSON Lines audit export offline: the rows form an unbroken hash chain (the SDK's
// `checkAuditChain`, the rules the server's own check uses) starting after the manifest's `afterSeq` /
// `afterHash`; the manifest's counts, first and last seq and hash match the rows; `contentSha256` is the
// SHA-256 of every byte before the trailer line; each anchor's Merkle proof folds from the event's leaf to
// its root (not whether that root is on chain: `cms verify <event id> --rpc-url` checks that); and, given the
// server's JWKS, the signature holds.
import { createHash, createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import {
  type AuditChainBreak,
  type AuditExportLine,
  type AuditExportTrailer,
  canonicalJson,
  checkAuditChain,
  ledgerLeafOf,
  merkleRootFromProof,
} from '@cms/sdk';
import { CliFailure } from '../cli-errors.js';

export interface ExportCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface AuditExportVerification {
  verified: boolean;
  organizationId: string;
  rowCount: number;
  firstSeq: number | null;
  lastSeq: number | null;
  lastHash: string | null;
  /** Whether the manifest's signature was checked (it needs the server's JWKS). */
  signatureChecked: boolean;
  checks: ExportCheck[];
  break: AuditChainBreak | null;
}

export interface Jwks {
  keys: (JsonWebKey & { kid?: string })[];
}

/** Checks the text of a `format=jsonl` export; `jwks` (from `/.well-known/jwks.json`) to check the signature. */
export async function checkAuditExport(text: string, jwks?: Jwks): Promise<AuditExportVerification> {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const cut = body.lastIndexOf('\n') + 1;
  let trailer: AuditExportTrailer;
  try {
    trailer = JSON.parse(body.slice(cut)) as AuditExportTrailer;
  } catch {
    throw new CliFailure('invalid_audit_export', 'the export does not end with a JSON manifest line');
  }
  const { manifest, signature } = trailer ?? {};
  if (manifest?.type !== 'cms.audit-export.v1' || !signature)
    throw new CliFailure(
      'invalid_audit_export',
      'the last line is not a cms.audit-export.v1 manifest (is this a JSON Lines export of `cms audit export`?)',
    );
  const content = body.slice(0, cut);
  let rows: AuditExportLine[];
  try {
    rows = content
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as AuditExportLine);
  } catch {
    throw new CliFailure('invalid_audit_export', 'a line of the export is not JSON');
  }
  const chain = await checkAuditChain(rows, {
    organizationId: manifest.organizationId,
    after: { seq: manifest.afterSeq, hash: manifest.afterHash },
  });
  const sha = `0x${createHash('sha256').update(content, 'utf8').digest('hex')}`;
  const checks: ExportCheck[] = [
    {
      name: 'chain',
      ok: chain.verified,
      detail: chain.verified
        ? `${chain.checkedEvents} events hash to their hashes and each names the one before it`
        : `${chain.break!.kind} at seq ${chain.break!.seq} (event ${chain.break!.eventId}): expected ${chain.break!.expected}, found ${chain.break!.found}`,
    },
    {
      name: 'row count',
      ok: manifest.rowCount === rows.length,
      detail: `manifest ${manifest.rowCount}, export ${rows.length}`,
    },
    {
      name: 'range',
      ok:
        manifest.firstSeq === (rows[0]?.seq ?? null) &&
        manifest.firstHash === (rows[0]?.hash ?? null) &&
        manifest.lastSeq === (rows.at(-1)?.seq ?? null) &&
        manifest.lastHash === (rows.at(-1)?.hash ?? null),
      detail: `seq ${manifest.firstSeq ?? '-'}..${manifest.lastSeq ?? '-'}`,
    },
    {
      name: 'content hash',
      ok: sha === manifest.contentSha256.toLowerCase(),
      detail: sha === manifest.contentSha256.toLowerCase() ? sha : `manifest ${manifest.contentSha256}, content ${sha}`,
    },
  ];
  const anchored = rows.filter((r) => r.anchor);
  const badProofs = anchored.filter((r) => {
    try {
      const root = merkleRootFromProof(ledgerLeafOf(r.hash as `0x${string}`), r.anchor!.proof as `0x${string}`[]);
      return root.toLowerCase() !== r.anchor!.root.toLowerCase();
    } catch {
      return true;
    }
  });
  checks.push({
    name: 'anchor proofs',
    ok: badProofs.length === 0,
    detail: badProofs.length
      ? `${badProofs.length} of ${anchored.length} proofs do not fold to their root (first: seq ${badProofs[0]!.seq})`
      : anchored.length
        ? `${anchored.length} anchored events' proofs fold to their roots (on chain: not checked here)`
        : 'no anchored events in the export',
  });
  if (jwks) {
    const jwk = jwks.keys.find((k) => k.kid === signature.kid);
    let ok = false;
    if (jwk) {
      try {
        ok = verify(
          null,
          Buffer.from(canonicalJson(manifest), 'utf8'),
          createPublicKey({ key: jwk, format: 'jwk' }),
          Buffer.from(signature.value, 'base64url'),
        );
      } catch {
        ok = false;
      }
    }
    checks.push({
      name: 'signature',
      ok,
      detail: jwk ? `${signature.alg} by key ${signature.kid}` : `key ${signature.kid} is not in the server's JWKS`,
    });
  }
  return {
    verified: checks.every((c) => c.ok),
    organizationId: manifest.organizationId,
    rowCount: rows.length,
    firstSeq: manifest.firstSeq,
    lastSeq: manifest.lastSeq,
    lastHash: manifest.lastHash,
    signatureChecked: jwks !== undefined,
    checks,
    break: chain.break,
  };
}

export function formatExportVerification(r: AuditExportVerification): string {
  const width = Math.max(...r.checks.map((c) => c.name.length));
  const lines = r.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}`);
  if (!r.signatureChecked) lines.push('signature: not checked (needs the server: `cms audit export --verify`)');
  lines.push(
    r.verified
      ? `verified: the chain holds (${r.rowCount} events)`
      : `NOT VERIFIED: ${r.checks.filter((c) => !c.ok).length} of ${r.checks.length} checks failed`,
  );
  return lines.join('\n');
}

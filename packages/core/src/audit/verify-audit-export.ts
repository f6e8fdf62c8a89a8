// Checks a JSON Lines audit export (`GET /v1/audit/export?format=jsonl`, `cms.audit.export`) on its own,
// without the server: the rows form an unbroken hash chain (`checkAuditChain`, the rules the server's own
// check uses) starting after the manifest's `afterSeq` / `afterHash`; the manifest's count, first and last
// seq and hash match the rows; `contentSha256` is the SHA-256 of every byte before the trailer line; each
// anchor's Merkle proof folds from the event's leaf to its root; given the server's JWKS, the manifest's
// Ed25519 signature holds; given a chain checker (`ledgerAnchorChecker` from `@cms/sdk/evm`), each root is
// anchored on the ledger you trust. Web APIs and @noble/ed25519 only: Node and browsers.
import * as ed from '@noble/ed25519';
import { base64urlToBytes, bytesToHex, bytesToUtf8, utf8ToBytes } from '../bytes.js';
import { canonicalJson } from '../canonical/canonical-json.js';
import { CmsIntegrityError } from '../errors.js';
import { ledgerLeafOf, merkleRootFromProof } from '../ledger/merkle.js';
import type { AuditExportLine, AuditExportTrailer } from '../resources/audit.js';
import { type AuditChainBreak, checkAuditChain } from './check-audit-chain.js';

export interface AuditExportCheck {
  /** `chain`, `row count`, `range`, `content hash`, `anchor proofs`, then `signature` and `anchors on chain` when checked. */
  name: string;
  ok: boolean;
  detail: string;
}

export interface AuditExportVerification {
  /** Every check passed. */
  verified: boolean;
  organizationId: string;
  rowCount: number;
  firstSeq: number | null;
  lastSeq: number | null;
  lastHash: string | null;
  /** Whether the manifest's signature was checked (it needs the server's JWKS). */
  signatureChecked: boolean;
  /** Whether the anchors were checked on chain (it needs `checkAnchor`). */
  chainChecked: boolean;
  checks: AuditExportCheck[];
  /** The first place the chain does not hold. */
  break: AuditChainBreak | null;
}

/** A JSON Web Key Set, as served at `/.well-known/jwks.json`. */
export interface AuditExportJwks {
  keys: { kid?: string; kty?: string; crv?: string; x?: string }[];
}

/** What an on-chain check is given for each anchored event. */
export interface AuditAnchorToCheck {
  eventHash: `0x${string}`;
  root: `0x${string}`;
  proof: `0x${string}`[];
  seq: number;
}

/** Why the anchor does not hold on chain, or null when it does. */
export type AuditAnchorChecker = (anchor: AuditAnchorToCheck) => Promise<string | null>;

export interface VerifyAuditExportOptions {
  /** The server's keys (`GET /.well-known/jwks.json`): the manifest's signature is checked against them. */
  jwks?: AuditExportJwks;
  /** Checks each anchored event on chain, e.g. `ledgerAnchorChecker({ client, ledgerAddress })` from `@cms/sdk/evm`. */
  checkAnchor?: AuditAnchorChecker;
}

/**
 * Verifies a JSON Lines audit export. Throws `CmsIntegrityError` `invalid_audit_export` when the text is not
 * one (no manifest line, a line that is not JSON); otherwise reports every check and `verified`.
 * @example
 * const text = await (await cms.audit.export({ format: 'jsonl' })).text();
 * const jwks = await (await fetch(`${server}/.well-known/jwks.json`)).json();
 * const { verified, checks } = await verifyAuditExport(text, { jwks });
 */
export async function verifyAuditExport(
  exportText: string | Uint8Array,
  options: VerifyAuditExportOptions = {},
): Promise<AuditExportVerification> {
  const text = typeof exportText === 'string' ? exportText : bytesToUtf8(exportText);
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const cut = body.lastIndexOf('\n') + 1;
  let trailer: AuditExportTrailer | undefined;
  try {
    trailer = JSON.parse(body.slice(cut)) as AuditExportTrailer;
  } catch {
    throw invalid('the export does not end with a JSON manifest line');
  }
  const { manifest, signature } = trailer ?? ({} as Partial<AuditExportTrailer>);
  if (manifest?.type !== 'cms.audit-export.v1' || !signature)
    throw invalid('the last line is not a cms.audit-export.v1 manifest (is this a JSON Lines audit export?)');
  const content = body.slice(0, cut);
  let rows: AuditExportLine[];
  try {
    rows = content
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as AuditExportLine);
  } catch {
    throw invalid('a line of the export is not JSON');
  }

  const chain = await checkAuditChain(rows, {
    organizationId: manifest.organizationId,
    after: { seq: manifest.afterSeq, hash: manifest.afterHash },
  });
  const digest = new Uint8Array(
    await globalThis.crypto.subtle.digest('SHA-256', utf8ToBytes(content) as Uint8Array<ArrayBuffer>),
  );
  const sha = `0x${bytesToHex(digest)}`;
  const b = chain.break;
  const checks: AuditExportCheck[] = [
    {
      name: 'chain',
      ok: chain.verified,
      detail: b
        ? `${b.kind} at seq ${b.seq} (event ${b.eventId}): expected ${b.expected}, found ${b.found}`
        : `${chain.checkedEvents} events hash to their hashes and each names the one before it`,
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
        ? `${anchored.length} anchored events' proofs fold to their roots`
        : 'no anchored events in the export',
  });

  if (options.jwks) checks.push(await signatureCheck(options.jwks, manifest, signature));

  if (options.checkAnchor) {
    const problems: string[] = [];
    for (const r of anchored) {
      if (r.anchor!.status !== 'confirmed') continue;
      const problem = await options.checkAnchor({
        eventHash: r.hash as `0x${string}`,
        root: r.anchor!.root as `0x${string}`,
        proof: r.anchor!.proof as `0x${string}`[],
        seq: r.seq,
      });
      if (problem) problems.push(`seq ${r.seq}: ${problem}`);
    }
    const confirmed = anchored.filter((r) => r.anchor!.status === 'confirmed').length;
    checks.push({
      name: 'anchors on chain',
      ok: problems.length === 0,
      detail: problems.length
        ? `${problems.length} of ${confirmed} confirmed anchors do not hold (first: ${problems[0]})`
        : `${confirmed} confirmed anchors are on the ledger`,
    });
  }

  return {
    verified: checks.every((c) => c.ok),
    organizationId: manifest.organizationId,
    rowCount: rows.length,
    firstSeq: manifest.firstSeq,
    lastSeq: manifest.lastSeq,
    lastHash: manifest.lastHash,
    signatureChecked: options.jwks !== undefined,
    chainChecked: options.checkAnchor !== undefined,
    checks,
    break: chain.break,
  };
}

/** The manifest's EdDSA signature over its canonical JSON, by the JWKS key it names. */
async function signatureCheck(
  jwks: AuditExportJwks,
  manifest: AuditExportTrailer['manifest'],
  signature: AuditExportTrailer['signature'],
): Promise<AuditExportCheck> {
  const jwk = jwks.keys.find((k) => k.kid === signature.kid);
  if (!jwk) return { name: 'signature', ok: false, detail: `key ${signature.kid} is not in the server's JWKS` };
  let ok = false;
  if (signature.alg === 'EdDSA' && jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.x) {
    try {
      ok = await ed.verifyAsync(
        base64urlToBytes(signature.value),
        utf8ToBytes(canonicalJson(manifest)),
        base64urlToBytes(jwk.x),
      );
    } catch {
      ok = false;
    }
  }
  return { name: 'signature', ok, detail: `${signature.alg} by key ${signature.kid}` };
}

function invalid(message: string): CmsIntegrityError {
  return new CmsIntegrityError(message, { code: 'invalid_audit_export' });
}

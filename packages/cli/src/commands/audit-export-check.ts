// `cms audit verify --file` and `cms audit export --verify`: the SDK's `verifyAuditExport` over an export
// (chain, manifest, content hash, anchor proofs; the signature given the server's JWKS; each confirmed
// anchor on the ledger you trust given an RPC URL), and its report for a terminal.
import { type AuditExportJwks, type AuditExportVerification, CmsIntegrityError, verifyAuditExport } from '@cms/sdk';
import { ledgerAnchorChecker } from '@cms/sdk/evm';
import { createPublicClient, http } from 'viem';
import { CliFailure } from '../cli-errors.js';

export type { AuditExportVerification };
export type Jwks = AuditExportJwks;

/** Checks the text of a `format=jsonl` export; `jwks` checks the signature, `chain` every confirmed anchor. */
export async function checkAuditExport(
  text: string,
  jwks?: Jwks,
  chain?: { rpcUrl: string; ledgerAddress: `0x${string}`; fetch?: typeof fetch },
): Promise<AuditExportVerification> {
  const checkAnchor = chain
    ? ledgerAnchorChecker({
        client: createPublicClient({ transport: http(chain.rpcUrl, { fetchFn: chain.fetch, retryCount: 1 }) }),
        ledgerAddress: chain.ledgerAddress,
      })
    : undefined;
  try {
    return await verifyAuditExport(text, { jwks, checkAnchor });
  } catch (error) {
    if (error instanceof CmsIntegrityError) throw new CliFailure(error.code, error.message);
    throw error;
  }
}

export function formatExportVerification(r: AuditExportVerification): string {
  const width = Math.max(...r.checks.map((c) => c.name.length));
  const lines = r.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}`);
  if (!r.signatureChecked) lines.push('signature: not checked (needs the server: `cms audit export --verify`)');
  if (!r.chainChecked) lines.push('anchors on chain: not checked (pass --rpc-url and --ledger-address)');
  lines.push(
    r.verified
      ? `verified: the chain holds (${r.rowCount} events)`
      : `NOT VERIFIED: ${r.checks.filter((c) => !c.ok).length} of ${r.checks.length} checks failed`,
  );
  return lines.join('\n');
}

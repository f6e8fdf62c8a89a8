// `cms verify <bundle.json>`: checks a contract's evidence bundle without the CMS server — offline, or
// also on chain through an RPC node and a ledger address you trust. A PDF (certificate of completion or
// completed PDF) is checked through the bundle it attaches (completed-pdf.ts). `cms verify <auditEventId>` checks
// one anchored event instead (see ledger.ts); the argument says which.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type EvidenceVerification, verifyEvidence } from '@cms/sdk';
import { evmEvidenceVerifier } from '@cms/sdk/evm';
import { isPdf, verifyCompletedPdf } from '@cms/sdk/pdf';
import { type Command, Option } from 'commander';
import { createPublicClient, getAddress, http, isAddress } from 'viem';
import { CliFailure, UsageError } from '../cli-errors.js';
import type { CommandContext } from '../context.js';
import { verifyAnchoredEventCommand } from './ledger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface VerifyFlags {
  rpcUrl?: string;
  ledgerAddress?: string;
  ledger?: string;
  requireAnchors?: boolean;
}

export function registerVerifyCommand(program: Command, context: CommandContext): void {
  program
    .command('verify')
    .description('verify an evidence bundle, a completed PDF (or one anchored audit event) without trusting the server')
    .argument(
      '<bundle.json|contract.pdf|auditEventId>',
      'an evidence bundle file (- for stdin), a certificate of completion or completed PDF (its attached evidence.json), or the id of an audit event to check on chain',
    )
    .addOption(
      new Option(
        '--rpc-url <url>',
        'a JSON-RPC URL of the ledger’s chain: also check the anchors on chain (env: CMS_VERIFY_RPC_URL)',
      ),
    )
    .addOption(
      new Option(
        '--ledger-address <0x…>',
        'the ContractLedger address you trust (env: CMS_VERIFY_LEDGER); required with --rpc-url',
      ),
    )
    .addOption(new Option('--ledger <0x…>', 'same as --ledger-address').hideHelp())
    .option('--require-anchors', 'fail unless every change of the contract is anchored')
    .addHelpText(
      'after',
      `
Exit status: 0 when every check passes, 1 when one fails, 2 on a usage error.
Get a bundle with GET /v1/contracts/<id>/evidence (the SDK: contracts.evidence(id)), then:
  cms verify bundle.json --rpc-url https://rpc.example --ledger-address 0x5FbD…0aa3`,
    )
    .action(async (target: string, flags: VerifyFlags, command: Command) => {
      const rpcUrl = flags.rpcUrl ?? context.io.env.CMS_VERIFY_RPC_URL;
      const ledgerAddress = flags.ledgerAddress ?? flags.ledger ?? context.io.env.CMS_VERIFY_LEDGER;
      if (UUID.test(target) && !existsSync(target))
        return verifyAnchoredEventCommand(target, { rpcUrl, ledger: ledgerAddress }, command, context);
      await verifyBundleFile(
        target,
        { rpcUrl, ledgerAddress, requireAnchors: flags.requireAnchors === true },
        command,
        context,
      );
    });
}

async function verifyBundleFile(
  file: string,
  o: { rpcUrl?: string; ledgerAddress?: string; requireAnchors: boolean },
  command: Command,
  context: CommandContext,
) {
  const { out } = context.begin(command);
  if (o.rpcUrl && !/^https?:\/\//.test(o.rpcUrl)) throw new UsageError('--rpc-url must be an http(s) JSON-RPC URL');
  if (o.ledgerAddress !== undefined && !isAddress(o.ledgerAddress, { strict: false }))
    throw new UsageError('--ledger-address must be a 0x address');
  if (o.rpcUrl && !o.ledgerAddress)
    throw new UsageError('--ledger-address: checking on chain needs the address of the ledger contract you trust');
  let bytes: Uint8Array;
  try {
    bytes = file === '-' ? new TextEncoder().encode(await context.io.readStdin()) : await readFile(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const ledgerAddress = o.ledgerAddress ? getAddress(o.ledgerAddress) : undefined;
  const client = o.rpcUrl
    ? createPublicClient({ transport: http(o.rpcUrl, { fetchFn: context.io.fetch, retryCount: 1 }) })
    : undefined;
  // EIP-712 (did:pkh) signatures always; the anchors on chain too when given an RPC URL.
  const options = {
    evm: evmEvidenceVerifier(client ? { client } : {}),
    ...(ledgerAddress && { ledgerAddress }),
    requireAnchors: o.requireAnchors,
  };
  let result: EvidenceVerification;
  if (isPdf(bytes)) {
    // A certificate of completion or completed PDF: the bundle is its evidence.json attachment.
    try {
      result = await verifyCompletedPdf(bytes, options);
    } catch (error) {
      throw new CliFailure(
        'invalid_pdf',
        `${file} has no readable evidence bundle: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
  } else {
    let bundle: unknown;
    try {
      bundle = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new CliFailure('invalid_json', `${file} is not JSON.`);
    }
    result = await verifyEvidence(bundle, options);
  }
  out.result({ file, ...result }, () => formatVerification(result, o.rpcUrl, ledgerAddress));
  const failed = result.checks.filter((c) => !c.ok);
  if (failed.length)
    throw new CliFailure(
      'evidence_invalid',
      `The evidence does not verify: ${failed.length} of ${result.checks.length} checks failed (${failed.map((c) => c.check).join(', ')}).`,
    );
}

function formatVerification(r: EvidenceVerification, rpcUrl: string | undefined, ledger: string | undefined): string {
  const width = Math.max(...r.checks.map((c) => c.check.length));
  const lines = r.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.check.padEnd(width)}  ${c.detail}`.trimEnd());
  const failed = r.checks.filter((c) => !c.ok).length;
  lines.push('');
  lines.push(
    r.chainChecked
      ? `chain: anchors checked on chain through ${new URL(rpcUrl!).origin} against ledger ${ledger}`
      : 'chain: not checked (pass --rpc-url and --ledger-address to check the anchors on chain)',
  );
  lines.push(
    r.valid ? `valid: all ${r.checks.length} checks passed` : `INVALID: ${failed} of ${r.checks.length} checks failed`,
  );
  return lines.join('\n');
}

// `cms audit events | verify | export`: the organization's hash-chained audit trail (docs/compliance.md).
// `verify` asks the server to check its chain, or with `--file` checks a downloaded export here;
// `export --verify` downloads the export and checks it here (chain, manifest, content hash, signature).
import { readFile } from 'node:fs/promises';
import type { AuditEvent, AuditVerification, ExportAuditTrailParams, ListAuditEventsParams } from '@cms/sdk';
import { type Command, Option } from 'commander';
import { getAddress, isAddress } from 'viem';
import { isoDateTime, positiveInteger } from '../arguments.js';
import { CliFailure, UsageError } from '../cli-errors.js';
import { writePrivateFile } from '../config-store.js';
import type { CommandContext } from '../context.js';
import { formatFields, formatTable } from '../output.js';
import { openClient } from '../session.js';
import type { Settings } from '../settings.js';
import {
  type AuditExportVerification,
  checkAuditExport,
  formatExportVerification,
  type Jwks,
} from './audit-export-check.js';

const rangeOptions = (command: Command) =>
  command
    .option('--from <iso-date-time>', 'only events that occurred at or after this time', isoDateTime)
    .option('--to <iso-date-time>', 'only events that occurred before this time', isoDateTime);
const range = (o: { from?: string; to?: string }) => ({
  ...(o.from ? { from: o.from } : {}),
  ...(o.to ? { to: o.to } : {}),
});

const eventTable = (events: AuditEvent[]) =>
  events.length
    ? formatTable(
        ['seq', 'occurred', 'action', 'resource', 'actor'],
        events.map((e) => [String(e.seq), e.occurredAt, e.action, `${e.resource.type}/${e.resource.id}`, e.actorDid]),
      )
    : 'No audit events.';

function formatServerVerification(v: AuditVerification): string {
  const b = v.break;
  return [
    formatFields([
      ['organization', v.organizationId],
      ['checked events', String(v.checkedEvents)],
      ['seq', v.firstSeq === null ? undefined : `${v.firstSeq}..${v.lastSeq}`],
      ['last hash', v.lastHash ?? undefined],
      ['archived through', v.archivedThroughSeq ? String(v.archivedThroughSeq) : undefined],
      ['anchored', `${v.anchoring.anchoredEvents} checked, ${v.anchoring.coveredEvents} covered by confirmed anchors`],
      ['anchor lag', `${v.anchoring.lagSeconds} s`],
      ['break', b ? JSON.stringify(b) : undefined],
    ]),
    v.verified ? 'verified: the chain holds' : 'NOT VERIFIED: the chain is broken',
  ].join('\n');
}

/** The server's signing keys, to check an export's manifest signature. */
async function serverJwks(settings: Settings, io: CommandContext['io']): Promise<Jwks> {
  const response = await (io.fetch ?? fetch)(`${settings.server}/.well-known/jwks.json`);
  if (!response.ok)
    throw new CliFailure(
      'jwks_unavailable',
      `could not fetch ${settings.server}/.well-known/jwks.json: ${response.status}`,
    );
  return (await response.json()) as Jwks;
}

function throwUnlessVerified(result: { verified: boolean }): void {
  if (!result.verified)
    throw new CliFailure('audit_chain_broken', 'the audit trail does not verify (see the checks above)');
}

interface AuditVerifyFlags {
  file?: string;
  jwks?: string;
  rpcUrl?: string;
  ledgerAddress?: string;
  from?: string;
  to?: string;
}

/** `--rpc-url` with `--ledger-address`: where an export's anchors are checked. */
function chainOf(o: AuditVerifyFlags, fetchFn: CommandContext['io']['fetch']) {
  if (!o.rpcUrl && !o.ledgerAddress) return undefined;
  if (!o.rpcUrl || !o.ledgerAddress) throw new UsageError('--rpc-url and --ledger-address go together');
  if (!/^https?:\/\//.test(o.rpcUrl)) throw new UsageError('--rpc-url must be an http(s) JSON-RPC URL');
  if (!isAddress(o.ledgerAddress, { strict: false })) throw new UsageError('--ledger-address is not an address');
  return { rpcUrl: o.rpcUrl, ledgerAddress: getAddress(o.ledgerAddress), fetch: fetchFn };
}

export function registerAuditCommands(program: Command, context: CommandContext): void {
  const audit = program
    .command('audit')
    .description("the organization's hash-chained audit trail: list, verify, export (needs audit:read)");

  const events = audit
    .command('events')
    .description('audit events, oldest first (chain order)')
    .option('--actor <did>', 'only events whose actor is this DID')
    .option('--action <action>', 'only events with this action, e.g. contract.signed')
    .option('--resource-type <type>', 'only events of resources of this type (contract, user, ...)')
    .option('--resource-id <id>', 'only events of the resource with this id')
    .option('--contract <id>', 'only events of this contract');
  rangeOptions(events)
    .option('--limit <n>', 'page size (with --all: the size of each page fetched)', positiveInteger)
    .addOption(new Option('--cursor <cursor>', 'the page after this cursor').conflicts('all'))
    .option('--all', 'every page, fetched one after the other')
    .action(
      async (
        o: {
          actor?: string;
          action?: string;
          resourceType?: string;
          resourceId?: string;
          contract?: string;
          from?: string;
          to?: string;
          limit?: number;
          cursor?: string;
          all?: boolean;
        },
        command: Command,
      ) => {
        const { settings, out } = context.begin(command);
        const client = await openClient(settings, context.io);
        const query: ListAuditEventsParams = {
          ...range(o),
          ...(o.actor ? { actorDid: o.actor } : {}),
          ...(o.action ? { action: o.action } : {}),
          ...(o.resourceType ? { resourceType: o.resourceType } : {}),
          ...(o.resourceId ? { resourceId: o.resourceId } : {}),
          ...(o.contract ? { contractId: o.contract } : {}),
          ...(o.limit ? { limit: o.limit } : {}),
          ...(o.cursor ? { cursor: o.cursor } : {}),
        };
        if (o.all) {
          const all = await client.audit.events(query).toArray();
          out.result(all, () => eventTable(all));
          return;
        }
        const page = await client.audit.events(query);
        out.result(page, () =>
          page.nextCursor
            ? `${eventTable(page.data)}\nmore: add --cursor ${page.nextCursor} (or --all)`
            : eventTable(page.data),
        );
      },
    );

  rangeOptions(
    audit
      .command('verify')
      .description("the server's check of the hash chain and its anchors; with --file, check a JSON Lines export here")
      .option('--file <export.jsonl>', 'check this export offline instead (from `cms audit export --out`)')
      .option('--jwks <file>', "with --file: the server's /.well-known/jwks.json, to check the manifest signature too")
      .option('--rpc-url <url>', 'with --file: a JSON-RPC URL of the chain, to check every confirmed anchor on it')
      .option('--ledger-address <address>', 'with --rpc-url: the ContractLedger address you trust'),
  ).action(async (o: AuditVerifyFlags, command: Command) => {
    const { settings, out } = context.begin(command);
    if (o.file) {
      if (o.from || o.to) throw new UsageError('--from/--to apply to the server check; an export has its own range');
      const read = (path: string) =>
        readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new UsageError(`cannot read ${path}: ${error.code ?? String(error)}`);
        });
      const text = await read(o.file);
      let jwks: Jwks | undefined;
      if (o.jwks) {
        try {
          jwks = JSON.parse(await read(o.jwks)) as Jwks;
        } catch (error) {
          if (error instanceof UsageError) throw error;
          throw new CliFailure('invalid_json', `${o.jwks} is not JSON`);
        }
      }
      const result = await checkAuditExport(text, jwks, chainOf(o, context.io.fetch));
      out.result({ file: o.file, ...result }, () => formatExportVerification(result));
      throwUnlessVerified(result);
      return;
    }
    if (o.jwks || o.rpcUrl || o.ledgerAddress)
      throw new UsageError('--jwks, --rpc-url and --ledger-address go with --file');
    const result = await (await openClient(settings, context.io)).audit.verify(range(o));
    out.result(result, () => formatServerVerification(result));
    throwUnlessVerified(result);
  });

  rangeOptions(
    audit
      .command('export')
      .description('download the signed export (JSON Lines, or CSV); to stdout unless --out')
      .option('--out <file>', 'write it to this file (mode 0600) and print a summary')
      .addOption(new Option('--format <format>', 'JSON Lines or CSV').choices(['jsonl', 'csv']).default('jsonl'))
      .option('--verify', 'check the downloaded export here: chain, manifest, content hash and signature (jsonl)')
      .option('--force', 'replace an existing --out file'),
  ).action(
    async (
      o: { out?: string; format: 'jsonl' | 'csv'; verify?: boolean; force?: boolean; from?: string; to?: string },
      command: Command,
    ) => {
      const { settings, out } = context.begin(command);
      if (o.verify && o.format !== 'jsonl') throw new UsageError('--verify checks JSON Lines exports only');
      if (!o.out && out.json) throw new UsageError('the export itself is the output; pass --out <file> with --json');
      const client = await openClient(settings, context.io);
      const query: ExportAuditTrailParams = { ...range(o), format: o.format };
      const text = await new Response(await client.audit.export(query)).text();
      let verification: AuditExportVerification | undefined;
      if (o.verify) verification = await checkAuditExport(text, await serverJwks(settings, context.io));
      if (!o.out) {
        context.io.stdout(text);
        if (verification) out.note(formatExportVerification(verification));
      } else {
        try {
          await writePrivateFile(o.out, text, { exclusive: !o.force });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST')
            throw new CliFailure('file_exists', `${o.out} already exists; pass --force to replace it`);
          throw error;
        }
        const rows = text.split('\n').filter(Boolean).length - (o.format === 'csv' ? 2 : 1);
        const summary = {
          file: o.out,
          format: o.format,
          bytes: Buffer.byteLength(text, 'utf8'),
          rows,
          ...(verification ? { verification } : {}),
        };
        out.result(summary, () =>
          [
            `Wrote ${rows} audit event${rows === 1 ? '' : 's'} to ${o.out} (${summary.bytes} bytes, ${o.format})`,
            ...(verification ? [formatExportVerification(verification)] : []),
          ].join('\n'),
        );
      }
      if (verification) throwUnlessVerified(verification);
    },
  );
}

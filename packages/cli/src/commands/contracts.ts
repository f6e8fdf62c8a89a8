// `cms contracts create | get | list | history | send | sign | decline | void | terminate | evidence | document`.

import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { CONTRACT_STATUSES, type Contract, type ContractFromTemplate, type ContractStatus } from '@cms/sdk';
import { type Command, Option } from 'commander';
import { collect, positiveInteger } from '../arguments.js';
import { UsageError } from '../cli-errors.js';
import type { CommandContext } from '../context.js';
import { signersFromKeyFile } from '../key-signers.js';
import { formatTable } from '../output.js';
import { openClient } from '../session.js';
import { formatContract, formatContractTable } from './contract-format.js';
import {
  type ContractFlags,
  contractCreateFromFlags,
  inputReader,
  PARTY_ROLES,
  parseMetadataEntry,
  parseObjectFile,
  type ReadInput,
} from './contract-input.js';
import { printDownload, sha256Argument, writeDownload } from './files.js';

export interface TemplateFlags {
  template?: string;
  templateVersion?: number;
  var?: string[];
  vars?: string;
  role?: string[];
}

/** `--var k=v`: the value as JSON when it parses (numbers, booleans, objects), else the text. */
function variableValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `--var`/`--vars` and `--role`: a template's variables and the parties filling its roles. */
export async function templateFill(
  flags: Pick<TemplateFlags, 'var' | 'vars' | 'role'>,
  read: ReadInput,
): Promise<{ variables: Record<string, unknown>; parties: Record<string, { did: string; name?: string }> }> {
  const variables: Record<string, unknown> = flags.vars ? parseObjectFile(await read(flags.vars), flags.vars) : {};
  for (const entry of flags.var ?? []) {
    const [k, v] = parseMetadataEntry(entry);
    variables[k] = variableValue(v);
  }
  const parties: Record<string, { did: string; name?: string }> = {};
  for (const entry of flags.role ?? []) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new UsageError(`--role "${entry}": expected <role>=<did>[,<name>]`);
    const [did, name] = splitDidName(entry.slice(at + 1));
    parties[entry.slice(0, at)] = name ? { did, name } : { did };
  }
  return { variables, parties };
}

async function fromTemplate(flags: ContractFlags & TemplateFlags, read: ReadInput): Promise<ContractFromTemplate> {
  const { variables, parties } = await templateFill(flags, read);
  return {
    template: { id: flags.template!, ...(flags.templateVersion ? { version: flags.templateVersion } : {}), variables },
    parties,
    ...(flags.title ? { title: flags.title } : {}),
    ...(flags.description ? { description: flags.description } : {}),
    ...(flags.externalId ? { externalId: flags.externalId } : {}),
    ...(flags.expiresAt ? { expiresAt: flags.expiresAt } : {}),
    ...(flags.metadata?.length ? { metadata: Object.fromEntries(flags.metadata.map(parseMetadataEntry)) } : {}),
  };
}

/** `did:key:z6Mk…,Ada Lovelace` → the DID and the name after the first comma. */
function splitDidName(text: string): [string, string | undefined] {
  const comma = text.indexOf(',');
  const did = comma === -1 ? text : text.slice(0, comma);
  if (!/^did:[a-z0-9]+:\S+$/.test(did)) throw new UsageError(`--role: "${did}" is not a DID`);
  return [did, comma === -1 ? undefined : text.slice(comma + 1)];
}

export function registerContractCommands(program: Command, context: CommandContext): void {
  const contracts = program.command('contracts').description('create, list, send, sign and end contracts');
  const bodyFlags = ['title', 'description', 'terms', 'termsFile', 'party', 'externalId', 'metadata', 'expiresAt'];

  contracts
    .command('create')
    .description('create a draft contract')
    .option('--title <title>', 'title (required unless --file)')
    .option('--description <text>', 'description')
    .addOption(new Option('--terms <json>', 'terms as a JSON object').conflicts('termsFile'))
    .option('--terms-file <path>', 'terms from a YAML or JSON file (- for stdin)')
    .option(
      '--party <did:role[:order]>',
      `a party, repeatable; role: ${PARTY_ROLES.join(', ')}; order defaults to 1`,
      collect,
    )
    .option('--external-id <id>', 'your own identifier for the contract')
    .option('--metadata <key=value>', 'a metadata entry, repeatable', collect)
    .option('--expires-at <iso-date-time>', 'when the contract expires, e.g. 2030-01-01T00:00:00Z')
    .addOption(
      new Option('--file <path>', 'the whole ContractCreate body from a YAML or JSON file (- for stdin)').conflicts(
        bodyFlags,
      ),
    )
    .addOption(
      new Option('--template <id>', 'create from this published template').conflicts(['file', 'terms', 'termsFile']),
    )
    .option('--template-version <n>', 'the template version (default: the latest published)', positiveInteger)
    .option('--var <name=value>', 'a template variable, repeatable (values that parse as JSON are JSON)', collect)
    .option('--vars <file>', 'template variables from a YAML or JSON object file (- for stdin); --var wins')
    .option('--role <role=did[,name]>', 'the party filling a template role, repeatable', collect)
    .addHelpText(
      'after',
      `
Examples:
  cms contracts create --title "Mutual NDA" --party did:key:z6MkAlice...:signer --party did:key:z6MkBob...:signer:2
  cms contracts create --file contract.json
  cms contracts create --template 01a2... --var fee=1200 --var currency=EUR --role Client=did:key:z6Mk...,Ada`,
    )
    .action(async (flags: ContractFlags & TemplateFlags, command: Command) => {
      const { settings, out } = context.begin(command);
      const read = inputReader(context.io.readStdin);
      const client = await openClient(settings, context.io);
      const contract = flags.template
        ? await client.contracts.createFromTemplate(await fromTemplate(flags, read))
        : await client.contracts.create(await contractCreateFromFlags(flags, read));
      out.result(contract, () => `Created contract ${contract.id}\n${formatContract(contract)}`);
    });

  contracts
    .command('get')
    .description('show a contract')
    .argument('<id>', 'the contract id')
    .addHelpText('after', '\nExample:\n  cms contracts get 01a2... --json | jq .status')
    .action(async (id: string, _flags: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const client = await openClient(settings, context.io);
      const contract = await client.contracts.get(id);
      out.result(contract, () => formatContract(contract));
    });

  contracts
    .command('evidence')
    .description("print a contract's evidence bundle (JSON), to keep or to check with `cms verify`")
    .argument('<id>', 'the contract id')
    .addHelpText('after', '\nExample:\n  cms contracts evidence 01a2... > evidence.json && cms verify evidence.json')
    .action(async (id: string, _flags: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const bundle = await (await openClient(settings, context.io)).contracts.evidence(id);
      out.result(bundle, () => JSON.stringify(bundle, null, 2));
    });

  contracts
    .command('document')
    .description('download a document of a contract (as a member or a party); refused unless it hashes to <sha256>')
    .argument('<id>', 'the contract id')
    .argument('<sha256>', "the document's SHA-256 (see the contract's documents)", sha256Argument)
    .option('--out <file>', "where to write it (mode 0644), - for stdout (default: ./<the document's name>)")
    .action(async (id: string, sha256: string, flags: { out?: string }, command: Command) => {
      const { settings } = context.begin(command);
      const client = await openClient(settings, context.io);
      let defaultName = sha256;
      if (flags.out === undefined) {
        const named = (await client.contracts.get(id)).documents.find((d) => d.sha256 === sha256)?.name;
        // Only a plain file name, never a path the contract's author chose.
        if (named && basename(named) === named && !named.startsWith('.')) defaultName = named;
      }
      const bytes = await client.contracts.document(id, sha256);
      const written = await writeDownload(context, bytes, { out: flags.out, defaultName });
      printDownload(context, command, { sha256, size: bytes.byteLength, out: written });
    });

  contracts
    .command('pdf')
    .description(
      "download an executed contract's completed PDF: its PDF documents, then the certificate of completion, with the evidence bundle attached",
    )
    .argument('<id>', 'the contract id')
    .option('--certificate', 'the certificate of completion alone')
    .option(
      '--out <file>',
      'where to write it (mode 0644), - for stdout (default: ./<id>.pdf or ./<id>-certificate.pdf)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  cms contracts pdf 01a2... --out nda.pdf && cms verify nda.pdf\n  cms contracts pdf 01a2... --certificate --out -',
    )
    .action(async (id: string, flags: { certificate?: boolean; out?: string }, command: Command) => {
      const { settings } = context.begin(command);
      const client = await openClient(settings, context.io);
      const bytes = await client.contracts.completedPdf(id, { certificate: flags.certificate === true });
      const defaultName = basename(`${id}${flags.certificate ? '-certificate' : ''}.pdf`);
      const written = await writeDownload(context, bytes, { out: flags.out, defaultName });
      if (written === '-') return;
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      context
        .begin(command)
        .out.result(
          { sha256, size: bytes.byteLength, out: written },
          () =>
            `Wrote ${bytes.byteLength} bytes to ${written} (SHA-256 ${sha256}); check it with: cms verify ${written}`,
        );
    });

  contracts
    .command('history')
    .description("a contract's audit trail: every change, who made it and when")
    .argument('<id>', 'the contract id')
    .addHelpText('after', '\nExample:\n  cms contracts history 01a2... --json')
    .action(async (id: string, _flags: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const history = await (await openClient(settings, context.io)).contracts.history(id);
      out.result(history, () =>
        history.data.length
          ? formatTable(
              ['seq', 'at', 'action', 'status', 'actor', 'reason'],
              history.data.map((t) => [
                String(t.seq),
                t.occurredAt,
                t.action,
                `${t.fromStatus ?? '-'} → ${t.toStatus}`,
                t.actorDid,
                t.reason ?? '',
              ]),
            )
          : 'No history.',
      );
    });

  const lifecycle = (
    name: 'send' | 'void' | 'decline' | 'terminate',
    description: string,
    needsReason: boolean,
    example: string,
  ) => {
    const cmd = contracts
      .command(name)
      .description(description)
      .argument('<id>', 'the contract id')
      .option('--if-match <version>', 'fail with 412 unless the contract is still at this version', positiveInteger)
      .addHelpText('after', `\nExample:\n  ${example}`);
    if (needsReason) cmd.requiredOption('--reason <text>', 'why (kept in the audit trail)');
    if (name === 'decline') cmd.option('--key <file>', "the decliner's key file (default: the profile's key)");
    cmd.action(async (id: string, flags: { reason?: string; ifMatch?: number; key?: string }, command: Command) => {
      const { settings, out } = context.begin(command);
      const client = await openClient(settings, context.io);
      const options = flags.ifMatch ? { ifMatch: flags.ifMatch } : {};
      const reason = flags.reason ?? '';
      const contract =
        name === 'send'
          ? await client.contracts.send(id, options)
          : name === 'void'
            ? await client.contracts.void(id, reason, options)
            : name === 'terminate'
              ? await client.contracts.terminate(id, reason, options)
              : await client.contracts.decline(id, reason, {
                  ...options,
                  signer: (await signersFromKeyFile(flags.key ?? settings.keyFile)).contract,
                });
      out.result(contract, () => `Contract ${contract.id} is now ${contract.status}\n${formatContract(contract)}`);
    });
  };
  lifecycle('send', 'send a draft for signature (draft → pending)', false, 'cms contracts send 01a2...');
  lifecycle(
    'void',
    'cancel a draft, pending or partially signed contract',
    true,
    'cms contracts void 01a2... --reason "wrong party"',
  );
  lifecycle(
    'decline',
    'refuse to sign, as a party (the contract ends declined)',
    true,
    'cms contracts decline 01a2... --reason "terms changed"',
  );
  lifecycle(
    'terminate',
    'end an executed contract',
    true,
    'cms contracts terminate 01a2... --reason "mutual agreement"',
  );

  contracts
    .command('sign')
    .description('sign a contract with your key, as one of its parties')
    .argument('<id>', 'the contract id')
    .option('--key <file>', "the signer's key file (default: the profile's key)")
    .option('--wait-for-anchor <seconds>', 'wait (≤ 30 s) for the signature to be anchored on chain', positiveInteger)
    .addHelpText('after', '\nExample:\n  cms contracts sign 01a2... --key ~/.config/cms/key.json')
    .action(async (id: string, flags: { key?: string; waitForAnchor?: number }, command: Command) => {
      const { settings, out } = context.begin(command);
      const { contract: signer } = await signersFromKeyFile(flags.key ?? settings.keyFile);
      const client = await openClient(settings, context.io);
      const contract = await client.contracts.sign(id, {
        signer,
        ...(flags.waitForAnchor ? { waitForAnchor: flags.waitForAnchor } : {}),
      });
      out.result(
        contract,
        () => `Signed contract ${contract.id}; it is now ${contract.status}\n${formatContract(contract)}`,
      );
    });

  contracts
    .command('list')
    .description('list contracts, newest first')
    .addHelpText(
      'after',
      `
Examples:
  cms contracts list --status executed --all --json
  cms contracts list --party did:key:z6Mk... --created-after 2026-01-01T00:00:00Z --query lease`,
    )
    .addOption(new Option('--status <status>', 'only contracts in this status').choices(CONTRACT_STATUSES))
    .option('--party <did>', 'only contracts with this DID as a party')
    .option('--created-after <iso-date-time>', 'only contracts created at or after this time')
    .option('--created-before <iso-date-time>', 'only contracts created before this time')
    .option('--query <text>', 'only contracts whose title contains this text')
    .option('--external-id <id>', 'only contracts with this externalId')
    .option('--limit <n>', 'page size (with --all: the size of each page fetched)', positiveInteger)
    .addOption(
      new Option('--cursor <cursor>', 'the page after this cursor (printed by the previous page)').conflicts('all'),
    )
    .option('--all', 'every page, fetched one after the other')
    .action(
      async (
        flags: {
          status?: ContractStatus;
          limit?: number;
          cursor?: string;
          all?: boolean;
          party?: string;
          createdAfter?: string;
          createdBefore?: string;
          query?: string;
          externalId?: string;
        },
        command: Command,
      ) => {
        const { settings, out } = context.begin(command);
        const client = await openClient(settings, context.io);
        const query = {
          ...(flags.status ? { status: flags.status } : {}),
          ...(flags.limit ? { limit: flags.limit } : {}),
          ...(flags.party ? { partyDid: flags.party } : {}),
          ...(flags.createdAfter ? { createdAfter: flags.createdAfter } : {}),
          ...(flags.createdBefore ? { createdBefore: flags.createdBefore } : {}),
          ...(flags.query ? { q: flags.query } : {}),
          ...(flags.externalId ? { externalId: flags.externalId } : {}),
        };
        if (flags.all) {
          const all: Contract[] = [];
          for await (const contract of client.contracts.listAll(query)) all.push(contract);
          out.result(all, () => formatContractTable(all));
          return;
        }
        const page = await client.contracts.list({ ...query, ...(flags.cursor ? { cursor: flags.cursor } : {}) });
        out.result(page, () => {
          const table = formatContractTable(page.data);
          if (!page.nextCursor) return table;
          const next = [
            'cms contracts list',
            flags.status && `--status ${flags.status}`,
            flags.party && `--party ${flags.party}`,
            flags.createdAfter && `--created-after ${flags.createdAfter}`,
            flags.createdBefore && `--created-before ${flags.createdBefore}`,
            flags.query && `--query ${JSON.stringify(flags.query)}`,
            flags.externalId && `--external-id ${flags.externalId}`,
            flags.limit && `--limit ${flags.limit}`,
            `--cursor ${page.nextCursor}`,
          ];
          return `${table}\nmore: ${next.filter(Boolean).join(' ')}`;
        });
      },
    );
}

// `cms contracts create | get | list | evidence`.
import { CONTRACT_STATUSES, type Contract, type ContractStatus } from '@cms/sdk';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CommandContext } from '../context.js';
import { openClient } from '../session.js';
import { formatContract, formatContractTable } from './contract-format.js';
import { type ContractFlags, contractCreateFromFlags, inputReader, PARTY_ROLES } from './contract-input.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerContractCommands(program: Command, context: CommandContext): void {
  const contracts = program.command('contracts').description('create, show and list contracts');
  const bodyFlags = ['title', 'description', 'terms', 'termsFile', 'party', 'externalId', 'metadata', 'expiresAt'];

  contracts
    .command('create')
    .description('create a draft contract')
    .option('--title <title>', 'title (required unless --file)')
    .option('--description <text>', 'description')
    .addOption(new Option('--terms <json>', 'terms as a JSON object').conflicts('termsFile'))
    .option('--terms-file <path>', 'terms from a JSON file (- for stdin)')
    .option(
      '--party <did:role[:order]>',
      `a party, repeatable; role: ${PARTY_ROLES.join(', ')}; order defaults to 1`,
      collect,
    )
    .option('--external-id <id>', 'your own identifier for the contract')
    .option('--metadata <key=value>', 'a metadata entry, repeatable', collect)
    .option('--expires-at <iso-date-time>', 'when the contract expires, e.g. 2030-01-01T00:00:00Z')
    .addOption(
      new Option('--file <path>', 'the whole ContractCreate JSON body from a file (- for stdin)').conflicts(bodyFlags),
    )
    .action(async (flags: ContractFlags, command: Command) => {
      const { settings, out } = context.begin(command);
      const body = await contractCreateFromFlags(flags, inputReader(context.io.readStdin));
      const client = await openClient(settings, context.io);
      const contract = await client.contracts.create(body);
      out.result(contract, () => `Created contract ${contract.id}\n${formatContract(contract)}`);
    });

  contracts
    .command('get')
    .description('show a contract')
    .argument('<id>', 'the contract id')
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
    .action(async (id: string, _flags: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const bundle = await (await openClient(settings, context.io)).contracts.evidence(id);
      out.result(bundle, () => JSON.stringify(bundle, null, 2));
    });

  contracts
    .command('list')
    .description('list contracts, newest first')
    .addOption(new Option('--status <status>', 'only contracts in this status').choices(CONTRACT_STATUSES))
    .option('--limit <n>', 'page size (with --all: the size of each page fetched)', positiveInteger)
    .addOption(
      new Option('--cursor <cursor>', 'the page after this cursor (printed by the previous page)').conflicts('all'),
    )
    .option('--all', 'every page, fetched one after the other')
    .action(
      async (flags: { status?: ContractStatus; limit?: number; cursor?: string; all?: boolean }, command: Command) => {
        const { settings, out } = context.begin(command);
        const client = await openClient(settings, context.io);
        const query = {
          ...(flags.status ? { status: flags.status } : {}),
          ...(flags.limit ? { limit: flags.limit } : {}),
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
            flags.limit && `--limit ${flags.limit}`,
            `--cursor ${page.nextCursor}`,
          ];
          return `${table}\nmore: ${next.filter(Boolean).join(' ')}`;
        });
      },
    );
}

function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
}

// `cms admin`: operations across organizations, for the deployment's operators (the DIDs its server names
// in CMS_OPERATOR_DIDS); anyone else is refused with 403 `forbidden` (exit code 3).
import type { AdminOrganization } from '@cms/sdk';
import { type Command, Option } from 'commander';
import { positiveInteger } from '../arguments.js';
import type { CommandContext } from '../context.js';
import { formatTable } from '../output.js';
import { openClient } from '../session.js';

const organizationTable = (orgs: AdminOrganization[]) =>
  orgs.length
    ? formatTable(
        ['id', 'name', 'members', 'contracts', 'created'],
        orgs.map((o) => [o.id, o.name, String(o.memberCount), String(o.contractCount), o.createdAt]),
      )
    : 'No organizations.';

export function registerAdminCommands(program: Command, context: CommandContext): void {
  const admin = program
    .command('admin')
    .description("the deployment's operators: every organization (the server's CMS_OPERATOR_DIDS)");
  const organizations = admin.command('organizations').alias('orgs').description('every organization');
  organizations
    .command('list')
    .description('every organization of the server, oldest first, with member and contract counts')
    .option('--limit <n>', 'page size (with --all: the size of each page fetched)', positiveInteger)
    .addOption(new Option('--cursor <cursor>', 'the page after this cursor').conflicts('all'))
    .option('--all', 'every page, fetched one after the other')
    .addHelpText('after', '\nExamples:\n  cms admin organizations list --all --json\n  cms admin orgs list --limit 20')
    .action(async (options: { limit?: number; cursor?: string; all?: boolean }, command: Command) => {
      const { settings, out } = context.begin(command);
      const cms = await openClient(settings, context.io);
      const query = {
        ...(options.limit ? { limit: options.limit } : {}),
        ...(options.cursor ? { cursor: options.cursor } : {}),
      };
      if (options.all) {
        const all = await cms.admin.organizations(query).toArray();
        out.result(all, () => organizationTable(all));
        return;
      }
      const page = await cms.admin.organizations(query);
      out.result(page, () => {
        const table = organizationTable(page.data);
        if (!page.nextCursor) return table;
        const next = ['cms admin organizations list', options.limit && `--limit ${options.limit}`];
        return `${table}\nmore: ${next.filter(Boolean).join(' ')} --cursor ${page.nextCursor}`;
      });
    });
}

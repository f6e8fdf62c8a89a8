// `cms organizations` (list, create, switch), `cms members`, `cms invitations`, `cms service-accounts`
// and `cms sessions`:
// administration of the organization the stored session works in.
import type { Invitation, Member, Role } from '@cms/sdk';
import { type Command, Option } from 'commander';
import type { CommandContext } from '../context.js';
import { signersFromKeyFile } from '../key-signers.js';
import { formatFields, formatTable } from '../output.js';
import { currentSession, openClient } from '../session.js';

const ROLES = ['owner', 'admin', 'member', 'auditor', 'viewer'] as const satisfies readonly Role[];
const roleOption = (description: string) =>
  new Option('--role <role>', description).choices(ROLES).makeOptionMandatory();
const memberTable = (members: Member[]) =>
  members.length
    ? formatTable(
        ['user', 'role', 'kind', 'did'],
        members.map((m) => [m.userId, m.role, m.name ? `service (${m.name})` : m.kind, m.dids.join(', ')]),
      )
    : 'No members.';
const invitationTable = (invitations: Invitation[]) =>
  invitations.length
    ? formatTable(
        ['id', 'status', 'role', 'organization', 'did', 'expires'],
        invitations.map((i) => [i.id, i.status, i.role, i.organizationName, i.did, i.expiresAt]),
      )
    : 'No invitations.';

export function registerOrganizationCommands(program: Command, context: CommandContext): void {
  const orgs = program.command('organizations').alias('orgs').description('list, create and switch organizations');
  orgs
    .command('list')
    .description('organizations you belong to (* marks the current one)')
    .action(async (_o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const [list, session] = await Promise.all([
        (await openClient(settings, context.io)).organizations.list(),
        currentSession(settings, context.io),
      ]);
      out.result(list, () =>
        formatTable(
          ['id', 'role', 'name'],
          list.map((o) => [`${o.id}${o.id === session.organizationId ? ' *' : ''}`, o.role, o.name]),
        ),
      );
    });
  orgs
    .command('create')
    .description('create an organization (you become its owner)')
    .argument('<name>', 'its name')
    .option('--switch', 'switch the session to it')
    .action(async (name: string, options: { switch?: boolean }, command: Command) => {
      const { settings, out } = context.begin(command);
      const client = await openClient(settings, context.io);
      const org = await client.organizations.create({ name });
      if (options.switch) await client.auth.refresh({ organizationId: org.id });
      out.result(org, () => `Created organization ${org.id} (${org.name})${options.switch ? '; switched to it' : ''}`);
    });
  orgs
    .command('switch')
    .description('work in another of your organizations')
    .argument('<id>', 'the organization id')
    .action(async (id: string, _o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const token = await (await openClient(settings, context.io)).auth.refresh({ organizationId: id });
      out.result(
        { organizationId: token.organizationId, roles: token.roles },
        () => `Switched to organization ${token.organizationId} as ${token.roles.join(', ')}`,
      );
    });

  const members = program.command('members').description('members of the current organization');
  members
    .command('list')
    .description('people and service accounts with their roles')
    .action(async (_o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const { organizationId } = await currentSession(settings, context.io);
      const list = await (await openClient(settings, context.io)).members.list(organizationId);
      out.result(list, () => memberTable(list));
    });
  members
    .command('set-role')
    .description("change a member's role")
    .argument('<user-id>', 'the member’s user id')
    .addOption(roleOption('the new role'))
    .action(async (userId: string, options: { role: Role }, command: Command) => {
      const { settings, out } = context.begin(command);
      const { organizationId } = await currentSession(settings, context.io);
      const member = await (await openClient(settings, context.io)).members.setRole(
        organizationId,
        userId,
        options.role,
      );
      out.result(member, () => `${member.userId} is now ${member.role}`);
    });
  members
    .command('remove')
    .description('remove a member or service account (their sessions end at once)')
    .argument('<user-id>', 'the member’s user id')
    .action(async (userId: string, _o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const { organizationId } = await currentSession(settings, context.io);
      await (await openClient(settings, context.io)).members.remove(organizationId, userId);
      out.result({ userId, removed: true }, () => `Removed ${userId}`);
    });

  const invitations = program
    .command('invitations')
    .description('invite DIDs into the current organization, and accept invitations');
  invitations
    .command('create')
    .description('invite a DID')
    .argument('<did>', 'the DID to invite')
    .addOption(roleOption('the role it joins with'))
    .option('--expires-in-days <n>', 'days until the invitation expires (1-30, default 7)', (v) => Number(v))
    .action(async (did: string, options: { role: Role; expiresInDays?: number }, command: Command) => {
      const { settings, out } = context.begin(command);
      const { organizationId } = await currentSession(settings, context.io);
      const client = await openClient(settings, context.io);
      const invitation = await client.invitations.create(organizationId, {
        did,
        role: options.role,
        ...(options.expiresInDays ? { expiresInDays: options.expiresInDays } : {}),
      });
      out.result(invitation, () =>
        [
          `Invited ${did} as ${invitation.role}`,
          formatFields([
            ['invitation', invitation.id],
            ['expires', invitation.expiresAt],
            ['accept with', `cms invitations accept ${invitation.id}`],
          ]),
        ].join('\n'),
      );
    });
  invitations
    .command('list')
    .description("the current organization's invitations")
    .action(async (_o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const { organizationId } = await currentSession(settings, context.io);
      const list = await (await openClient(settings, context.io)).invitations.list(organizationId);
      out.result(list, () => invitationTable(list));
    });
  invitations
    .command('revoke')
    .description('revoke a pending invitation')
    .argument('<id>', 'the invitation id')
    .action(async (id: string, _o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const { organizationId } = await currentSession(settings, context.io);
      await (await openClient(settings, context.io)).invitations.revoke(organizationId, id);
      out.result({ id, revoked: true }, () => `Revoked invitation ${id}`);
    });
  invitations
    .command('mine')
    .description('pending invitations to your DIDs')
    .action(async (_o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const list = await (await openClient(settings, context.io)).invitations.listMine();
      out.result(list, () => invitationTable(list));
    });
  invitations
    .command('accept')
    .description('accept an invitation, proving control of the invited DID with your key')
    .argument('<id>', 'the invitation id')
    .option('--key <file>', 'key of the invited DID (default: the one `cms keys generate` wrote)')
    .option('--switch', 'switch the session to the organization')
    .action(async (id: string, options: { key?: string; switch?: boolean }, command: Command) => {
      const { settings, out } = context.begin(command);
      const signers = await signersFromKeyFile(options.key ?? settings.keyFile);
      const client = await openClient(settings, context.io);
      const org = await client.invitations.accept(
        id,
        signers.login,
        signers.chainId ? { chainId: signers.chainId } : {},
      );
      if (options.switch) await client.auth.refresh({ organizationId: org.id });
      out.result(
        org,
        () =>
          `Joined ${org.name} (${org.id}) as ${org.role}${options.switch ? '; switched to it' : `; \`cms organizations switch ${org.id}\` to work in it`}`,
      );
    });

  const serviceAccounts = program
    .command('service-accounts')
    .description('automation accounts of the current organization');
  serviceAccounts
    .command('create')
    .description(
      'register a service account by the DID whose key the automation holds (e.g. from `cms keys generate --out`)',
    )
    .argument('<did>', 'the automation’s DID')
    .requiredOption('--name <name>', 'what it is for')
    .addOption(
      new Option('--role <role>', 'its role').choices(ROLES.filter((r) => r !== 'owner')).makeOptionMandatory(),
    )
    .action(async (did: string, options: { name: string; role: Role }, command: Command) => {
      const { settings, out } = context.begin(command);
      const { organizationId } = await currentSession(settings, context.io);
      const account = await (await openClient(settings, context.io)).serviceAccounts.create(organizationId, {
        did,
        name: options.name,
        role: options.role,
      });
      out.result(
        account,
        () =>
          `Created service account ${account.userId} (${account.name}, ${account.role}); it logs in with \`cms login --key <its key file>\``,
      );
    });
  serviceAccounts
    .command('list')
    .description('service accounts of the current organization')
    .action(async (_o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const { organizationId } = await currentSession(settings, context.io);
      const list = await (await openClient(settings, context.io)).serviceAccounts.list(organizationId);
      out.result(list, () =>
        list.length
          ? formatTable(
              ['user', 'name', 'role', 'did'],
              list.map((a) => [a.userId, a.name, a.role, a.did]),
            )
          : 'No service accounts.',
      );
    });

  const sessions = program.command('sessions').description('your login sessions');
  sessions
    .command('list')
    .description('your live sessions (* marks this one)')
    .action(async (_o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const list = await (await openClient(settings, context.io)).sessions.list();
      out.result(list, () =>
        formatTable(
          ['id', 'did', 'organization', 'created', 'user agent'],
          list.map((s) => [`${s.id}${s.current ? ' *' : ''}`, s.did, s.organizationId, s.createdAt, s.userAgent ?? '']),
        ),
      );
    });
  sessions
    .command('revoke')
    .description('end one of your sessions')
    .argument('<id>', 'the session id')
    .action(async (id: string, _o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      await (await openClient(settings, context.io)).sessions.revoke(id);
      out.result({ id, revoked: true }, () => `Revoked session ${id}`);
    });
}

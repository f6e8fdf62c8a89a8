// `cms templates`: list, get, create and edit templates from YAML/JSON files, publish and archive them, read
// their versions, preview a rendering, and import the starter templates (mutual NDA, services agreement,
// sales order) into the current organization.
import type { Template, TemplateCreate, TemplateUpdate, TemplateVersion } from '@cms/sdk';
import type { Command } from 'commander';
import { collect, positiveInteger } from '../arguments.js';
import type { CommandContext } from '../context.js';
import { formatFields, formatTable } from '../output.js';
import { openClient } from '../session.js';
import { STARTER_TEMPLATES } from '../starters/index.js';
import { inputReader, parseObjectFile } from './contract-input.js';
import { templateFill } from './contracts.js';

const IF_MATCH = '--if-match <revision>';
const IF_MATCH_HELP = 'fail with 412 unless the template is still at this revision (its `revision`)';

function templateFields(t: Template): string {
  return formatFields([
    ['id', t.id],
    ['name', t.name],
    ['status', t.status],
    ['revision', String(t.revision)],
    ['latest version', String(t.latestVersion ?? '-')],
    ['tags', (t.tags ?? []).join(', ') || '-'],
    ['roles', (t.draft?.roles ?? []).map((r) => `${r.key} (${r.partyRole})`).join(', ') || '-'],
  ]);
}

function versionFields(v: TemplateVersion): string {
  return formatFields([
    ['template', v.templateId],
    ['version', String(v.version)],
    ['hash', v.hash],
    ['published', v.publishedAt],
  ]);
}

export function registerTemplateCommands(program: Command, context: CommandContext): void {
  const templates = program.command('templates').description('contract templates of the current organization');
  templates
    .command('list')
    .description('templates, newest first')
    .option('--tag <tag>', 'only templates with this tag')
    .action(async (options: { tag?: string }, command: Command) => {
      const { settings, out } = context.begin(command);
      const client = await openClient(settings, context.io);
      const list = await client.templates.list({ limit: 100, ...(options.tag && { tag: options.tag }) }).toArray();
      out.result(list, () =>
        list.length
          ? formatTable(
              ['id', 'status', 'version', 'name'],
              list.map((t) => [t.id, t.status, String(t.latestVersion ?? '-'), t.name]),
            )
          : 'No templates.',
      );
    });
  templates
    .command('get')
    .description('one template with its draft')
    .argument('<id>', 'the template id')
    .action(async (id: string, _o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const template = await (await openClient(settings, context.io)).templates.get(id);
      out.result(template, () => templateFields(template));
    });
  templates
    .command('create')
    .description('create a template (its first draft) from a YAML or JSON file holding a TemplateCreate')
    .requiredOption(
      '--file <path>',
      'the TemplateCreate body: name, body, variables (a JSON Schema), roles, terms, … (- for stdin)',
    )
    .option('--publish', 'publish the draft as version 1 right away')
    .action(async (flags: { file: string; publish?: boolean }, command: Command) => {
      const { settings, out } = context.begin(command);
      const body = parseObjectFile(await inputReader(context.io.readStdin)(flags.file), flags.file) as TemplateCreate;
      const client = await openClient(settings, context.io);
      const created = await client.templates.create(body);
      const template = flags.publish
        ? (await client.templates.publish(created.id, { ifMatch: created.revision }),
          await client.templates.get(created.id))
        : created;
      out.result(template, () => `Created template ${template.id}\n${templateFields(template)}`);
    });
  templates
    .command('update')
    .description('change the name, description, tags or draft from a YAML or JSON file holding a TemplateUpdate')
    .argument('<id>', 'the template id')
    .requiredOption('--file <path>', 'the TemplateUpdate body (- for stdin)')
    .option(IF_MATCH, IF_MATCH_HELP, positiveInteger)
    .action(async (id: string, flags: { file: string; ifMatch?: number }, command: Command) => {
      const { settings, out } = context.begin(command);
      const changes = parseObjectFile(
        await inputReader(context.io.readStdin)(flags.file),
        flags.file,
      ) as TemplateUpdate;
      const template = await (await openClient(settings, context.io)).templates.update(
        id,
        changes,
        flags.ifMatch ? { ifMatch: flags.ifMatch } : {},
      );
      out.result(template, () => `Updated template ${template.id}\n${templateFields(template)}`);
    });
  templates
    .command('publish')
    .description('freeze the draft as the next immutable version')
    .argument('<id>', 'the template id')
    .option(IF_MATCH, IF_MATCH_HELP, positiveInteger)
    .action(async (id: string, flags: { ifMatch?: number }, command: Command) => {
      const { settings, out } = context.begin(command);
      const version = await (await openClient(settings, context.io)).templates.publish(
        id,
        flags.ifMatch ? { ifMatch: flags.ifMatch } : {},
      );
      out.result(version, () => `Published version ${version.version}\n${versionFields(version)}`);
    });
  templates
    .command('archive')
    .description('no new contracts from it and no more edits; its versions stay readable')
    .argument('<id>', 'the template id')
    .option(IF_MATCH, IF_MATCH_HELP, positiveInteger)
    .action(async (id: string, flags: { ifMatch?: number }, command: Command) => {
      const { settings, out } = context.begin(command);
      const template = await (await openClient(settings, context.io)).templates.archive(
        id,
        flags.ifMatch ? { ifMatch: flags.ifMatch } : {},
      );
      out.result(template, () => `Archived template ${template.id}`);
    });
  templates
    .command('versions')
    .description('published versions of a template, newest first')
    .argument('<id>', 'the template id')
    .action(async (id: string, _o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const list = await (await openClient(settings, context.io)).templates.versions(id, { limit: 100 }).toArray();
      out.result(list, () =>
        list.length
          ? formatTable(
              ['version', 'published', 'hash'],
              list.map((v) => [String(v.version), v.publishedAt, v.hash]),
            )
          : 'No published versions.',
      );
    });
  templates
    .command('version')
    .description('one published version with its content and hash')
    .argument('<id>', 'the template id')
    .argument('<version>', 'the version number', positiveInteger)
    .action(async (id: string, version: number, _o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const v = await (await openClient(settings, context.io)).templates.version(id, version);
      out.result(v, () => `${versionFields(v)}\n\n${v.content.body}`);
    });
  templates
    .command('preview')
    .description('render a version (or the draft) with variables and parties, checked by its schema; writes nothing')
    .argument('<id>', 'the template id')
    .option('--version <n>', 'the published version (default: the latest)', positiveInteger)
    .option('--draft', 'render the draft instead of a published version')
    .option('--var <name=value>', 'a template variable, repeatable (values that parse as JSON are JSON)', collect)
    .option('--vars <file>', 'template variables from a YAML or JSON object file (- for stdin); --var wins')
    .option('--role <role=did[,name]>', 'the party filling a template role, repeatable', collect)
    .action(
      async (
        id: string,
        flags: { version?: number; draft?: boolean; var?: string[]; vars?: string; role?: string[] },
        command: Command,
      ) => {
        const { settings, out } = context.begin(command);
        const { variables, parties } = await templateFill(flags, inputReader(context.io.readStdin));
        const preview = await (await openClient(settings, context.io)).templates.preview(id, {
          variables,
          ...(Object.keys(parties).length ? { parties } : {}),
          ...(flags.version ? { version: flags.version } : {}),
          ...(flags.draft ? { draft: true } : {}),
        });
        out.result(preview, () => preview.body);
      },
    );
  templates
    .command('import-starters')
    .description('create and publish the starter templates (needs templates:manage); skips those already imported')
    .option('--draft', 'leave them as drafts instead of publishing')
    .action(async (options: { draft?: boolean }, command: Command) => {
      const { settings, out } = context.begin(command);
      const client = await openClient(settings, context.io);
      const existing = new Set(
        (await client.templates.list({ tag: 'starter', limit: 100 }).toArray())
          .filter((t) => t.status !== 'archived')
          .map((t) => t.name),
      );
      const results: { name: string; id: string | null; version: number | null; imported: boolean }[] = [];
      for (const starter of STARTER_TEMPLATES) {
        if (existing.has(starter.name)) {
          results.push({ name: starter.name, id: null, version: null, imported: false });
          continue;
        }
        const created = await client.templates.create(starter);
        const version = options.draft
          ? null
          : (await client.templates.publish(created.id, { ifMatch: created.revision })).version;
        results.push({ name: starter.name, id: created.id, version, imported: true });
      }
      out.result(results, () =>
        results
          .map((r) =>
            r.imported
              ? `Imported ${r.name} (${r.id})${r.version ? `, published v${r.version}` : ', draft'}`
              : `Skipped ${r.name}: already imported`,
          )
          .join('\n'),
      );
    });
}

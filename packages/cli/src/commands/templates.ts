// `cms templates`: list templates, and import the starter templates (mutual NDA, services agreement,
// sales order) into the current organization.
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { formatTable } from '../output.js';
import { openClient } from '../session.js';
import { STARTER_TEMPLATES } from '../starters/index.js';

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

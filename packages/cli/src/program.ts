// The `cms` command tree. Built fresh for every run so in-process runs never share parser state.
import { Command, Option } from 'commander';
import { registerAdminCommands } from './commands/admin.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerBulkCommands } from './commands/bulk.js';
import { registerCompletionCommand } from './commands/completion.js';
import { registerConfigCommands } from './commands/config.js';
import { registerContractCommands } from './commands/contracts.js';
import { registerEnclaveCommands } from './commands/enclave.js';
import { registerEventsCommand } from './commands/events.js';
import { registerFileCommands } from './commands/files.js';
import { registerInitCommand } from './commands/init.js';
import { registerKeysCommands } from './commands/keys.js';
import { registerLedgerCommands } from './commands/ledger.js';
import { registerLoginCommands } from './commands/login.js';
import { registerOrganizationCommands } from './commands/organizations.js';
import { registerTemplateCommands } from './commands/templates.js';
import { registerVerifyCommand } from './commands/verify.js';
import { registerWebhookCommands } from './commands/webhooks.js';
import { createCommandContext } from './context.js';
import { addExamples } from './examples.js';
import type { CliIo } from './io.js';
import { DEFAULT_SERVER } from './settings.js';
import { version } from './version.js';

/**
 * The `cms` program, writing to `io`. Errors are thrown (commander's `exitOverride`), never
 * `process.exit`ed; `run` turns them into output and an exit status.
 */
export function createProgram(io: CliIo): Command {
  const program = new Command('cms')
    .description('Command-line client for CMS, the verifiable contract management system.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .addOption(new Option('--server <url>', `CMS server URL (env: CMS_SERVER, default: ${DEFAULT_SERVER})`))
    .addOption(new Option('--profile <name>', 'use this profile (env: CMS_PROFILE, default: default)'))
    .option('--json', 'machine-readable output: one JSON document on stdout, errors as JSON on stderr')
    .addOption(
      new Option('--jsonl', 'JSON Lines: one compact JSON value per line (list items one per line)').conflicts('json'),
    )
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: () => {}, // reportError prints errors, as text or JSON
    })
    .addHelpText(
      'after',
      `
Files: $CMS_CONFIG_DIR (default $XDG_CONFIG_HOME/cms, else ~/.config/cms) holds config.json, key.json and
credentials/ (mode 0600); other profiles live in profiles/<name>/.
Environment: CMS_SERVER, CMS_PROFILE, CMS_KEY, CMS_OUTPUT, CMS_CONFIG_DIR, XDG_CONFIG_HOME, NO_COLOR.
Exit status: 0 success, 1 failure, 2 usage, 3 auth (not logged in, 401, 403), 4 not found,
5 conflict, 6 validation, 7 network or server unavailable, 8 some bulk rows failed.

Getting started:
  cms keys generate
  cms login --server https://cms.example.com
  cms whoami
  cms contracts create --title "Mutual NDA" --party did:key:z6Mk...:signer`,
    );
  const context = createCommandContext(io);
  registerInitCommand(program, context);
  registerConfigCommands(program, context);
  registerKeysCommands(program, context);
  registerLoginCommands(program, context);
  registerContractCommands(program, context);
  registerFileCommands(program, context);
  registerOrganizationCommands(program, context);
  registerTemplateCommands(program, context);
  registerLedgerCommands(program, context);
  registerVerifyCommand(program, context);
  registerBulkCommands(program, context);
  registerEventsCommand(program, context);
  registerWebhookCommands(program, context);
  registerAuditCommands(program, context);
  registerAdminCommands(program, context);
  registerEnclaveCommands(program, context);
  registerCompletionCommand(program, context);
  addExamples(program);
  return program;
}

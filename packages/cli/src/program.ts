// The `cms` command tree. Built fresh for every run so in-process runs never share parser state.
import { Command, Option } from 'commander';
import { registerContractCommands } from './commands/contracts.js';
import { registerKeysCommands } from './commands/keys.js';
import { registerLedgerCommands } from './commands/ledger.js';
import { registerLoginCommands } from './commands/login.js';
import { registerOrganizationCommands } from './commands/organizations.js';
import { registerTemplateCommands } from './commands/templates.js';
import { registerVerifyCommand } from './commands/verify.js';
import { createCommandContext } from './context.js';
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
    .option('--json', 'machine-readable output: one JSON document on stdout, errors as JSON on stderr')
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
Files: $CMS_CONFIG_DIR (default ~/.config/cms) holds key.json and credentials.json, both mode 0600.
Exit status: 0 success, 1 failure (API error, not logged in, ...), 2 usage error.

Getting started:
  cms keys generate
  cms login --server https://cms.example.com
  cms whoami
  cms contracts create --title "Mutual NDA" --party did:key:z6Mk...:signer`,
    );
  const context = createCommandContext(io);
  registerKeysCommands(program, context);
  registerLoginCommands(program, context);
  registerContractCommands(program, context);
  registerOrganizationCommands(program, context);
  registerTemplateCommands(program, context);
  registerLedgerCommands(program, context);
  registerVerifyCommand(program, context);
  return program;
}

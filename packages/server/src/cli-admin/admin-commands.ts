// The operator commands of `cms-server` (everything except running the server): see docs/deployment.md.
import type { ServerConfig } from '../config.js';
import { loadConfig, loadLedgerAdminConfig } from '../config.js';
import { KEK_COMMANDS, runKekCommand } from '../enclave/data-keys/kek-commands.js';
import { doctor, formatChecks } from './doctor.js';
import { keysCommand } from './keys-commands.js';
import { ledgerCommand } from './ledger-commands.js';
import { migrateCommand } from './migrate-command.js';

export const ADMIN_COMMANDS = ['migrate', 'ledger', 'keys', 'doctor', 'rotate-signing-key', ...KEK_COMMANDS] as const;

export function isAdminCommand(name: string | undefined): name is (typeof ADMIN_COMMANDS)[number] {
  return ADMIN_COMMANDS.includes(name as never);
}

/**
 * Runs one operator command and resolves with its exit code; `env` is what `loadConfig` reads.
 * @example process.exit(await runAdminCommand(['doctor'], process.env))
 */
export async function runAdminCommand(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void = console.log,
): Promise<number> {
  const [command, ...args] = argv;
  // The ledger commands run before the ledger address exists, so they read their own variables.
  if (command === 'ledger') {
    await ledgerCommand(loadLedgerAdminConfig(env), args, out);
    return 0;
  }
  const config: ServerConfig = loadConfig(env);
  switch (command) {
    case 'migrate':
      await migrateCommand(config, args, out);
      return 0;
    case 'keys':
      await keysCommand(config, args, out);
      return 0;
    case 'rotate-signing-key': // the name before `keys rotate`
      await keysCommand(config, ['rotate'], out);
      return 0;
    case 'doctor': {
      const checks = await doctor(config);
      for (const line of formatChecks(checks)) out(line);
      return checks.some((c) => c.status === 'fail') ? 1 : 0;
    }
    default:
      if (KEK_COMMANDS.includes(command as never)) {
        await runKekCommand(config, command as (typeof KEK_COMMANDS)[number], args, out);
        return 0;
      }
      throw new Error(`unknown command ${command}`);
  }
}

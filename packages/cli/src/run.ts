import type { Command } from 'commander';
import type { CliIo } from './io.js';
import { processIo } from './io.js';
import { createProgram } from './program.js';
import { reportError } from './report-error.js';
import { flushSessionWrites } from './session.js';

/**
 * Runs the CLI once and resolves to its exit status (0 ok, 1 failure, 2 usage error); never exits
 * the process. `io` replaces the real streams, environment, stdin or fetch, e.g. in tests.
 * @example
 * let out = '';
 * const status = await run(['node', 'cms', 'contracts', 'list', '--json'], { stdout: (s) => (out += s), env: { CMS_CONFIG_DIR: dir } });
 */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const fullIo: CliIo = { ...processIo(), ...io };
  const program = createProgram(fullIo);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    return reportError(error, fullIo, wantsJson(program, argv));
  } finally {
    // A refresh during the command replaced the stored refresh token: it must be on disk before we exit.
    await flushSessionWrites();
  }
}

// Usage errors can be thrown before commander has stored --json, so also look at the raw arguments.
function wantsJson(program: Command, argv: readonly string[]): boolean {
  if (program.opts().json === true) return true;
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

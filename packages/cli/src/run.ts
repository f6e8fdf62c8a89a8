import type { Command } from 'commander';
import type { CliIo } from './io.js';
import { processIo } from './io.js';
import { createProgram } from './program.js';
import { reportError } from './report-error.js';

/**
 * Runs the CLI once and resolves to its exit status (see EXIT_CODES); never exits
 * the process. `io` replaces the real streams, environment, stdin or fetch, e.g. in tests.
 * @example
 * let out = '';
 * const status = await run(['node', 'cms', 'contracts', 'list', '--json'], { stdout: (s) => (out += s), env: { CMS_CONFIG_DIR: dir } });
 */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const fullIo: CliIo = { ...processIo(), ...io };
  // Replacing stdout alone also catches the bytes meant for it.
  if (io.stdout && !io.stdoutBytes) {
    const stdout = io.stdout;
    fullIo.stdoutBytes = (bytes) => stdout(new TextDecoder().decode(bytes));
  }
  const program = createProgram(fullIo);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    return reportError(error, fullIo, wantsJson(program, argv, fullIo.env));
  }
}

// Usage errors can be thrown before commander has stored --json, so also look at the raw arguments.
function wantsJson(program: Command, argv: readonly string[], env: CliIo['env']): boolean {
  const opts = program.opts<{ json?: boolean; jsonl?: boolean }>();
  if (opts.json === true || opts.jsonl === true) return true;
  const end = argv.indexOf('--');
  const args = end === -1 ? argv : argv.slice(0, end);
  return args.includes('--json') || args.includes('--jsonl') || env.CMS_OUTPUT === 'json' || env.CMS_OUTPUT === 'jsonl';
}

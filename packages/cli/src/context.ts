// What every command action gets: the outside world and the global options resolved against it.
import type { Command } from 'commander';
import type { CliIo } from './io.js';
import { createOutput, type Output } from './output.js';
import { type GlobalOptions, resolveSettings, type Settings } from './settings.js';

export interface CommandContext {
  io: CliIo;
  /** Settings and output for the command being run. */
  begin(command: Command): { settings: Settings; out: Output };
}

export function createCommandContext(io: CliIo): CommandContext {
  return {
    io,
    begin(command) {
      const settings = resolveSettings(command.optsWithGlobals<GlobalOptions>(), io.env);
      return { settings, out: createOutput(io, settings.output) };
    },
  };
}

// `cms config get | set | unset | list | profiles`: per-profile settings in `<config dir>/config.json` (0600).
import type { Command } from 'commander';
import { UsageError } from '../cli-errors.js';
import { writeConfigFile } from '../config-store.js';
import type { CommandContext } from '../context.js';
import { formatTable } from '../output.js';
import {
  CONFIG_KEYS,
  type ConfigKey,
  configFilePath,
  normaliseServerUrl,
  parseOutput,
  readConfigFile,
  type Settings,
} from '../settings.js';

function checkKey(key: string): ConfigKey {
  if (!Object.hasOwn(CONFIG_KEYS, key))
    throw new UsageError(`unknown configuration key "${key}": expected ${Object.keys(CONFIG_KEYS).join(', ')}`);
  return key as ConfigKey;
}

function checkValue(key: ConfigKey, value: string): string {
  if (key === 'server') return normaliseServerUrl(value);
  if (key === 'output') return parseOutput(value);
  return value;
}

/** Every key with its effective value and where that value comes from. */
function effective(settings: Settings, env: CommandContext['io']['env']) {
  const stored = readConfigFile(settings.configDir).profiles[settings.profile] ?? {};
  const value: Record<ConfigKey, string> = { server: settings.server, key: settings.keyFile, output: settings.output };
  return (Object.keys(CONFIG_KEYS) as ConfigKey[]).map((key) => {
    const { env: variable } = CONFIG_KEYS[key];
    const source = env[variable] ? variable : stored[key] !== undefined ? 'config' : 'default';
    return { key, value: value[key], source, stored: stored[key] ?? null };
  });
}

export function registerConfigCommands(program: Command, context: CommandContext): void {
  const config = program
    .command('config')
    .description('show and change settings of the current profile (--profile, CMS_PROFILE)')
    .addHelpText(
      'after',
      `
Keys: ${Object.entries(CONFIG_KEYS)
        .map(([k, v]) => `${k} (${v.description}; env ${v.env})`)
        .join(', ')}.
Precedence: flag, then environment variable, then the profile's value, then the default.

Examples:
  cms config set server https://cms.example.com
  cms --profile staging config set server https://staging.cms.example.com
  cms config get server
  cms config list --json`,
    );

  config
    .command('get')
    .description('print the effective value of a key')
    .argument('<key>', Object.keys(CONFIG_KEYS).join(' | '))
    .action((key: string, _o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const entry = effective(settings, context.io.env).find((e) => e.key === checkKey(key))!;
      out.result({ profile: settings.profile, ...entry }, () => entry.value);
    });

  config
    .command('set')
    .description("store a value in the profile's configuration")
    .argument('<key>', Object.keys(CONFIG_KEYS).join(' | '))
    .argument('<value>', 'the value')
    .action(async (key: string, value: string, _o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const name = checkKey(key);
      const checked = checkValue(name, value);
      const file = readConfigFile(settings.configDir);
      file.profiles[settings.profile] = { ...file.profiles[settings.profile], [name]: checked };
      await writeConfigFile(settings.configDir, file);
      out.result(
        { profile: settings.profile, key: name, value: checked },
        () => `Set ${name} = ${checked} (profile ${settings.profile}, ${configFilePath(settings.configDir)})`,
      );
    });

  config
    .command('unset')
    .description("remove a value from the profile's configuration")
    .argument('<key>', Object.keys(CONFIG_KEYS).join(' | '))
    .action(async (key: string, _o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const name = checkKey(key);
      const file = readConfigFile(settings.configDir);
      const { [name]: removed, ...rest } = file.profiles[settings.profile] ?? {};
      file.profiles[settings.profile] = rest;
      await writeConfigFile(settings.configDir, file);
      out.result({ profile: settings.profile, key: name, removed: removed !== undefined }, () =>
        removed === undefined ? `${name} was not set` : `Unset ${name} (profile ${settings.profile})`,
      );
    });

  config
    .command('list')
    .description('every key with its effective value and its source (flag/env, config, default)')
    .action((_o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const entries = effective(settings, context.io.env);
      out.result(
        { profile: settings.profile, configDir: settings.configDir, entries },
        () =>
          `profile ${settings.profile} (${settings.configDir})\n${formatTable(
            ['key', 'value', 'source'],
            entries.map((e) => [e.key, e.value, e.source]),
          )}`,
      );
    });

  config
    .command('profiles')
    .description('profiles that have a configuration')
    .action((_o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const names = [...new Set(['default', ...Object.keys(readConfigFile(settings.configDir).profiles)])].sort();
      out.result(names, () => names.map((n) => `${n}${n === settings.profile ? ' *' : ''}`).join('\n'));
    });
}

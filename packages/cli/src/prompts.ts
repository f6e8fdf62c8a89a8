// Questions for `cms login` and `cms init` (@inquirer/prompts), asked only when stdin and stdout are
// terminals: scripts and pipes never block on a prompt, they get an error naming the missing flag.
import { confirm, input } from '@inquirer/prompts';
import type { CliIo } from './io.js';
import { normaliseServerUrl } from './settings.js';

export function canPrompt(io: Pick<CliIo, 'stdinIsTTY' | 'stdoutIsTTY'>): boolean {
  return io.stdinIsTTY === true && io.stdoutIsTTY === true;
}

export async function askServer(current: string): Promise<string> {
  const answer = await input({
    message: 'CMS server URL:',
    default: current,
    validate: (value) => {
      try {
        normaliseServerUrl(value);
        return true;
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
  return normaliseServerUrl(answer);
}

export function askYesNo(message: string, fallback = true): Promise<boolean> {
  return confirm({ message, default: fallback });
}

export function askText(message: string, fallback?: string): Promise<string> {
  return input({ message, ...(fallback !== undefined ? { default: fallback } : {}) });
}

// `cms events`: the live contract event stream (Server-Sent Events), one line per event; resumable
// with --after <event id> or a --resume-file that keeps the last event id.
import { readFile, writeFile } from 'node:fs/promises';
import type { StreamEventType } from '@cms/sdk';
import type { Command } from 'commander';
import { collect } from '../arguments.js';
import type { CommandContext } from '../context.js';
import { openClient } from '../session.js';

export function registerEventsCommand(program: Command, context: CommandContext): void {
  program
    .command('events')
    .description(
      'print contract events (and webhook.disabled) as they happen (one line each; --json/--jsonl: one JSON event a line)',
    )
    .option('--follow', 'keep listening until interrupted (default: stop once no event came for --idle ms)')
    .option('--type <type>', 'only this event type, repeatable (e.g. contract.signed)', collect)
    .option('--contract <id>', "only this contract's events")
    .option('--after <event-id>', 'resume after this event id (replays what came since)')
    .option('--resume-file <path>', 'read the event id to resume after from this file, and keep it up to date there')
    .option('--count <n>', 'stop after this many events', (v) => Number.parseInt(v, 10))
    .option(
      '--idle <ms>',
      'without --follow: stop after this long without an event',
      (v) => Number.parseInt(v, 10),
      1500,
    )
    .addHelpText(
      'after',
      `
Examples:
  cms events --follow --jsonl | jq -c 'select(.type == "contract.executed")'
  cms events --follow --resume-file ~/.cache/cms-events.last   # restart it any time: nothing is missed
  cms events --contract 01a2... --type contract.signed --count 1`,
    )
    .action(
      async (
        flags: {
          follow?: boolean;
          type?: string[];
          contract?: string;
          after?: string;
          resumeFile?: string;
          count?: number;
          idle: number;
        },
        command: Command,
      ) => {
        const { settings, out } = context.begin(command);
        const client = await openClient(settings, context.io);
        const resumed = flags.resumeFile
          ? (await readFile(flags.resumeFile, 'utf8').catch(() => '')).trim() || undefined
          : undefined;
        const lastEventId = flags.after ?? resumed;
        let seen = 0;
        let idleTimer: NodeJS.Timeout | undefined;
        let writes = Promise.resolve();
        const controller = new AbortController();
        const stop = () => controller.abort();
        const armIdle = () => {
          if (flags.follow) return;
          clearTimeout(idleTimer);
          idleTimer = setTimeout(stop, flags.idle);
        };
        const subscription = client.events.subscribe(
          {
            ...(flags.type?.length ? { types: flags.type as StreamEventType[] } : {}),
            ...(flags.contract ? { contractId: flags.contract } : {}),
          },
          (event) => {
            seen++;
            // A contract event names its contract; `webhook.disabled` the endpoint that was disabled.
            const subject = event.type === 'webhook.disabled' ? event.data.endpointId : event.contractId;
            out.item(event, () => `${event.occurredAt}  ${event.type}  ${subject}  ${event.id}`);
            if (flags.resumeFile) {
              const file = flags.resumeFile;
              writes = writes.then(() => writeFile(file, `${event.id}\n`, { mode: 0o600 }));
            }
            if (flags.count !== undefined && seen >= flags.count) stop();
            else armIdle();
          },
          {
            signal: controller.signal,
            ...(lastEventId ? { lastEventId } : {}),
            onOpen: armIdle,
            onReset: () => out.note('note: could not resume from the given event id; events may have been missed'),
          },
        );
        process.once('SIGINT', stop);
        try {
          await subscription.done;
        } finally {
          clearTimeout(idleTimer);
          process.removeListener('SIGINT', stop);
          await writes;
        }
      },
    );
}

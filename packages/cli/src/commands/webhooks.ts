// `cms webhooks list | create | get | update | delete | rotate-secret | test | deliveries | delivery | retry |
// replay`: the organization's webhook endpoints and their delivery log (docs/webhooks.md). A signing secret is
// printed only by `create` and `rotate-secret`, the only times the server shows it.
import type { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEndpointUpdate } from '@cms/sdk';
import { type Command, Option } from 'commander';
import { isoDateTime, nonNegativeInteger, positiveInteger } from '../arguments.js';
import { UsageError } from '../cli-errors.js';
import type { CommandContext } from '../context.js';
import { formatFields, formatTable } from '../output.js';
import { openClient } from '../session.js';

const DELIVERY_STATUSES = [
  'pending',
  'delivering',
  'delivered',
  'failed',
] as const satisfies readonly WebhookDeliveryStatus[];
const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];

const endpointState = (w: WebhookEndpoint) =>
  w.enabled ? 'enabled' : `disabled${w.disabledReason ? ` (${w.disabledReason})` : ''}`;
const endpointTable = (list: WebhookEndpoint[]) =>
  list.length
    ? formatTable(
        ['id', 'state', 'url', 'events'],
        list.map((w) => [w.id, endpointState(w), w.url, w.eventTypes.length ? w.eventTypes.join(',') : 'all']),
      )
    : 'No webhook endpoints.';
const endpointFields = (w: WebhookEndpoint) =>
  formatFields([
    ['id', w.id],
    ['url', w.url],
    ['description', w.description ?? undefined],
    ['state', endpointState(w)],
    ['events', w.eventTypes.length ? w.eventTypes.join(', ') : 'all'],
    ['failures', String(w.consecutiveFailures)],
    ['created', w.createdAt],
    ['updated', w.updatedAt],
  ]);
const deliveryTable = (list: WebhookDelivery[]) =>
  list.length
    ? formatTable(
        ['id', 'status', 'event', 'attempts', 'last status', 'created'],
        list.map((d) => [
          d.id,
          d.status,
          d.eventType,
          String(d.attempts),
          d.lastStatusCode === null ? '' : String(d.lastStatusCode),
          d.createdAt,
        ]),
      )
    : 'No deliveries.';
const deliveryFields = (d: WebhookDelivery) =>
  formatFields([
    ['delivery', d.id],
    ['message', d.messageId],
    ['event', `${d.eventType}${d.eventId ? ` (event ${d.eventId})` : ''}`],
    ['contract', d.contractId ?? undefined],
    ['status', d.status],
    ['attempts', String(d.attempts)],
    ['next attempt', d.nextAttemptAt ?? undefined],
    ['delivered', d.deliveredAt ?? undefined],
    ['last status', d.lastStatusCode === null ? undefined : String(d.lastStatusCode)],
  ]);

export function registerWebhookCommands(program: Command, context: CommandContext): void {
  const webhooks = program
    .command('webhooks')
    .description("the organization's webhook endpoints, their secrets and delivery log");
  const client = async (command: Command) => {
    const { settings, out } = context.begin(command);
    return { out, cms: (await openClient(settings, context.io)).webhooks };
  };

  webhooks
    .command('list')
    .description("the organization's endpoints (without secrets)")
    .action(async (_o: unknown, command: Command) => {
      const { out, cms } = await client(command);
      const list = await cms.list();
      out.result(list, () => endpointTable(list));
    });

  webhooks
    .command('create')
    .description('register an endpoint; prints its signing secret, which is shown only this once')
    .requiredOption('--url <url>', 'where deliveries are POSTed (https)')
    .option('--event-type <type>', 'only these event types (repeat or comma-separate; default: all)', collect)
    .option('--description <text>', 'what it is for')
    .option('--disabled', 'create it disabled')
    .action(
      async (
        options: { url: string; eventType?: string[]; description?: string; disabled?: boolean },
        command: Command,
      ) => {
        const { out, cms } = await client(command);
        const created = await cms.create({
          url: options.url,
          ...(options.eventType?.length ? { eventTypes: options.eventType as WebhookEndpoint['eventTypes'] } : {}),
          ...(options.description !== undefined ? { description: options.description } : {}),
          ...(options.disabled ? { enabled: false } : {}),
        });
        out.result(created, () =>
          [
            endpointFields(created),
            `secret       ${created.secret}`,
            '',
            'Store the secret now: it is not shown again (`cms webhooks rotate-secret` makes a new one).',
          ].join('\n'),
        );
      },
    );

  webhooks
    .command('get')
    .description('one endpoint')
    .argument('<id>', 'the endpoint id')
    .action(async (id: string, _o: unknown, command: Command) => {
      const { out, cms } = await client(command);
      const endpoint = await cms.get(id);
      out.result(endpoint, () => endpointFields(endpoint));
    });

  webhooks
    .command('update')
    .description("change an endpoint's URL, description, event types, or enable/disable it")
    .argument('<id>', 'the endpoint id')
    .option('--url <url>', 'the new URL')
    .option('--description <text>', 'the new description ("" clears it)')
    .option('--event-type <type>', 'the new event types (repeat or comma-separate)', collect)
    .option('--all-events', 'subscribe to every event type')
    .addOption(new Option('--enable', 'enable it (resets the failure count)').conflicts('disable'))
    .addOption(new Option('--disable', 'disable it'))
    .action(
      async (
        id: string,
        options: {
          url?: string;
          description?: string;
          eventType?: string[];
          allEvents?: boolean;
          enable?: boolean;
          disable?: boolean;
        },
        command: Command,
      ) => {
        if (options.eventType && options.allEvents) throw new UsageError('pass --event-type or --all-events, not both');
        const changes: WebhookEndpointUpdate = {
          ...(options.url !== undefined ? { url: options.url } : {}),
          ...(options.description !== undefined ? { description: options.description || null } : {}),
          ...(options.eventType ? { eventTypes: options.eventType as WebhookEndpoint['eventTypes'] } : {}),
          ...(options.allEvents ? { eventTypes: [] } : {}),
          ...(options.enable ? { enabled: true } : {}),
          ...(options.disable ? { enabled: false } : {}),
        };
        if (Object.keys(changes).length === 0)
          throw new UsageError(
            'nothing to change: pass --url, --description, --event-type, --all-events, --enable or --disable',
          );
        const { out, cms } = await client(command);
        const endpoint = await cms.update(id, changes);
        out.result(endpoint, () => `Updated webhook ${endpoint.id}\n${endpointFields(endpoint)}`);
      },
    );

  webhooks
    .command('delete')
    .description('remove an endpoint and its delivery log')
    .argument('<id>', 'the endpoint id')
    .action(async (id: string, _o: unknown, command: Command) => {
      const { out, cms } = await client(command);
      await cms.delete(id);
      out.result({ id, deleted: true }, () => `Deleted webhook ${id}`);
    });

  webhooks
    .command('rotate-secret')
    .description('a new signing secret (shown once); the old ones keep signing beside it for the grace period')
    .argument('<id>', 'the endpoint id')
    .option('--grace-seconds <n>', 'how long the old secrets stay valid (0-604800, default 86400)', nonNegativeInteger)
    .action(async (id: string, options: { graceSeconds?: number }, command: Command) => {
      const { out, cms } = await client(command);
      const secret = await cms.rotateSecret(
        id,
        options.graceSeconds !== undefined ? { graceSeconds: options.graceSeconds } : {},
      );
      out.result(secret, () =>
        [
          formatFields([
            ['secret', secret.secret],
            ['created', secret.createdAt],
            ['old secrets until', secret.previousExpiresAt],
          ]),
          '',
          'Store the secret now: it is not shown again.',
        ].join('\n'),
      );
    });

  webhooks
    .command('test')
    .description('queue a webhook.ping to the endpoint (sent even when it is disabled)')
    .argument('<id>', 'the endpoint id')
    .action(async (id: string, _o: unknown, command: Command) => {
      const { out, cms } = await client(command);
      const delivery = await cms.test(id);
      out.result(
        delivery,
        () => `Queued ${delivery.eventType} as delivery ${delivery.id}\n${deliveryFields(delivery)}`,
      );
    });

  webhooks
    .command('deliveries')
    .description("the endpoint's delivery log, newest first")
    .argument('<id>', 'the endpoint id')
    .addOption(new Option('--status <status>', 'only deliveries in this status').choices(DELIVERY_STATUSES))
    .option('--limit <n>', 'page size (with --all: the size of each page fetched)', positiveInteger)
    .addOption(new Option('--cursor <cursor>', 'the page after this cursor').conflicts('all'))
    .option('--all', 'every page, fetched one after the other')
    .action(
      async (
        id: string,
        options: { status?: WebhookDeliveryStatus; limit?: number; cursor?: string; all?: boolean },
        command: Command,
      ) => {
        const { out, cms } = await client(command);
        const query = {
          ...(options.status ? { status: options.status } : {}),
          ...(options.limit ? { limit: options.limit } : {}),
          ...(options.cursor ? { cursor: options.cursor } : {}),
        };
        if (options.all) {
          const all = await cms.deliveries(id, query).toArray();
          out.result(all, () => deliveryTable(all));
          return;
        }
        const page = await cms.deliveries(id, query);
        out.result(page, () => {
          const table = deliveryTable(page.data);
          if (!page.nextCursor) return table;
          const next = [
            `cms webhooks deliveries ${id}`,
            options.status && `--status ${options.status}`,
            options.limit && `--limit ${options.limit}`,
            `--cursor ${page.nextCursor}`,
          ];
          return `${table}\nmore: ${next.filter(Boolean).join(' ')}`;
        });
      },
    );

  webhooks
    .command('delivery')
    .description('one delivery with its payload and every attempt')
    .argument('<id>', 'the endpoint id')
    .argument('<delivery-id>', 'the delivery id')
    .action(async (id: string, deliveryId: string, _o: unknown, command: Command) => {
      const { out, cms } = await client(command);
      const d = await cms.delivery(id, deliveryId);
      out.result(d, () =>
        [
          deliveryFields(d),
          '',
          d.attemptLog.length
            ? formatTable(
                ['attempt', 'started', 'ms', 'status', 'error'],
                d.attemptLog.map((a) => [
                  String(a.attempt),
                  a.startedAt,
                  String(a.durationMs),
                  a.statusCode === null ? '' : String(a.statusCode),
                  a.error ?? '',
                ]),
              )
            : 'No attempts yet.',
          '',
          'payload:',
          JSON.stringify(d.payload, null, 2),
        ].join('\n'),
      );
    });

  webhooks
    .command('retry')
    .description('send a delivery again now (same webhook-id, fresh schedule)')
    .argument('<id>', 'the endpoint id')
    .argument('<delivery-id>', 'the delivery id')
    .action(async (id: string, deliveryId: string, _o: unknown, command: Command) => {
      const { out, cms } = await client(command);
      const d = await cms.retry(id, deliveryId);
      out.result(d, () => `Queued delivery ${d.id} again\n${deliveryFields(d)}`);
    });

  webhooks
    .command('replay')
    .description("queue the organization's events of [from, to) to the endpoint again")
    .argument('<id>', 'the endpoint id')
    .requiredOption('--from <iso-date-time>', 'first instant (inclusive)', isoDateTime)
    .requiredOption('--to <iso-date-time>', 'last instant (exclusive)', isoDateTime)
    .action(async (id: string, options: { from: string; to: string }, command: Command) => {
      const { out, cms } = await client(command);
      const result = await cms.replay(id, { from: options.from, to: options.to });
      out.result(result, () => `Queued ${result.queued} event${result.queued === 1 ? '' : 's'} to webhook ${id}`);
    });
}

// `cms.events.subscribe`: the contract event stream (GET /v1/events) read with fetch, because
// EventSource cannot send an Authorization header. Reconnects with capped, jittered backoff and
// `Last-Event-ID`; an expired access token is refreshed by the client's transport on the 401 that
// the reconnect gets. Uses only web APIs (fetch, streams, TextDecoder), so it runs in Node and browsers.
import { backoffDelayMs } from '../backoff-delay.js';
import { CmsConnectionError, type CmsError, errorFromResponse, isCmsError } from '../errors.js';
import type { components } from '../generated/schema.js';
import type { Api } from '../resources/api.js';
import { createSseParser } from './sse-parser.js';

type S = components['schemas'];
export type ContractEvent = S['ContractEvent'];
export type ContractEventType = S['ContractEventType'];
/** An organization's `webhook.disabled`, on its members' streams: one of its webhook endpoints was disabled. */
export type WebhookDisabledEvent = S['WebhookDisabledEvent'];
/** What the stream carries: `contract.*` events and, for members, `webhook.disabled`. */
export type StreamEventType = S['StreamEventType'];
export type StreamEvent = ContractEvent | WebhookDisabledEvent;
/** The event a handler gets for the types it asked for (`types: ['contract.signed']`: a `ContractEvent`). */
export type StreamEventOf<T extends StreamEventType> = T extends 'webhook.disabled'
  ? WebhookDisabledEvent
  : ContractEvent;
export type EventStreamReset = S['EventStreamReset'];

export interface EventFilter<T extends StreamEventType = StreamEventType> {
  /** Only these types. @default every type (`contract.*`, and `webhook.disabled` for members) */
  types?: T[];
  /** Only this contract's events. @default every contract the caller may read */
  contractId?: string;
}

export interface SubscribeOptions {
  /** Resume after this event id (e.g. persisted from `subscription.lastEventId`). @default undefined: from now */
  lastEventId?: string;
  /** Closes the subscription when aborted. @default undefined */
  signal?: AbortSignal;
  /**
   * The server could not resume from `lastEventId` (older than its retention, or unknown): events may
   * have been missed, so reload what you display. The stream goes on from the newest event.
   * @default undefined
   */
  onReset?: (reset: EventStreamReset) => void;
  /** Each connection that the server accepted. @default undefined */
  onOpen?: () => void;
  /**
   * Errors: connection failures and retryable problems (the subscription keeps reconnecting), errors
   * thrown by `handler`, and a final error (401/403/404/422) after which the subscription is closed.
   * @default undefined
   */
  onError?: (error: unknown) => void;
  /** First reconnection delay; the server's `retry:` replaces it. @default 1000 */
  initialRetryMs?: number;
  /** Cap of the exponential backoff between failed reconnections. @default 30000 */
  maxRetryMs?: number;
}

export interface EventSubscription {
  /** Stops reading and reconnecting. */
  close(): void;
  /** The id of the last event received: persist it to resume with `options.lastEventId` later. */
  readonly lastEventId: string | undefined;
  /** Resolves once the subscription has stopped (closed, or a final error). */
  readonly done: Promise<void>;
}

export interface EventsResources {
  /**
   * Calls `handler` for every event the caller may see, live, until `close()`: the events of the contracts it
   * may read and, for a member, its organization's `webhook.disabled`. With `types`, the handler's event is
   * typed by them; without, narrow on `event.type`.
   * @example
   * const sub = cms.events.subscribe({ types: ['contract.signed'] }, (event) => console.log(event.contractId));
   * // later
   * sub.close();
   */
  subscribe<T extends StreamEventType = StreamEventType>(
    filter: EventFilter<T>,
    handler: (event: StreamEventOf<T>) => void | Promise<void>,
    options?: SubscribeOptions,
  ): EventSubscription;
}

const ALLOWED_OPTIONS = new Set([
  'lastEventId',
  'signal',
  'onReset',
  'onOpen',
  'onError',
  'initialRetryMs',
  'maxRetryMs',
]);
/** Problems no reconnection can fix. */
const FINAL_STATUSES = new Set([400, 401, 403, 404, 422]);

export function createEventsResources({ raw, call }: Api): EventsResources {
  return {
    subscribe<T extends StreamEventType>(
      filter: EventFilter<T>,
      handler: (event: StreamEventOf<T>) => void | Promise<void>,
      options: SubscribeOptions = {},
    ) {
      const unknown = Object.keys(options).filter((k) => !ALLOWED_OPTIONS.has(k));
      if (unknown.length)
        throw new TypeError(
          `events.subscribe: unknown option(s) ${unknown.join(', ')}; allowed: ${[...ALLOWED_OPTIONS].join(', ')}`,
        );
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) stop.abort();
      let lastEventId = options.lastEventId;
      const initialRetryMs = options.initialRetryMs ?? 1000;
      const maxRetryMs = options.maxRetryMs ?? 30_000;
      let retryMs = initialRetryMs;
      const report = (error: unknown) => {
        try {
          options.onError?.(error);
        } catch {
          // A failing error handler must not end the subscription.
        }
      };

      /** One connection: resolves when the server ends the stream; throws what should be retried or reported. */
      async function connect(): Promise<boolean> {
        const query = {
          ...(filter.types?.length && { types: filter.types.join(',') }),
          ...(filter.contractId && { contractId: filter.contractId }),
        };
        const { data, error, response } = await raw.GET('/v1/events', {
          params: { query, header: lastEventId === undefined ? undefined : { 'Last-Event-ID': lastEventId } },
          parseAs: 'stream',
          // This loop reconnects (with Last-Event-ID); the transport's own retries would hide each failure from it.
          ...call({ signal: stop.signal, maxRetries: 0 }),
        });
        if (!response.ok || !data)
          throw errorFromResponse(response.status, error, response.headers.get('x-request-id') ?? undefined);
        options.onOpen?.();
        // Handlers run one at a time, in stream order, even when they are async.
        let queue: Promise<void> = Promise.resolve();
        const parser = createSseParser(
          {
            onRetry: (ms) => (retryMs = ms),
            onEvent: (message) => {
              lastEventId = message.lastEventId || lastEventId;
              const payload = JSON.parse(message.data) as unknown;
              if (message.type === 'reset') options.onReset?.(payload as EventStreamReset);
              else queue = queue.then(() => handler(payload as StreamEventOf<T>)).catch(report);
            },
          },
          lastEventId ?? '',
        );
        const reader = (data as ReadableStream<Uint8Array>).getReader();
        const decoder = new TextDecoder();
        const cancel = () => void reader.cancel().catch(() => {});
        stop.signal.addEventListener('abort', cancel, { once: true });
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            parser.feed(decoder.decode(value, { stream: true }));
            // `id:` lines without data (the stream's first frame) also move the resume point.
            if (parser.lastEventId) lastEventId = parser.lastEventId;
          }
        } finally {
          stop.signal.removeEventListener('abort', cancel);
          await queue;
        }
        return true;
      }

      const done = (async () => {
        let failures = 0;
        while (!stop.signal.aborted) {
          try {
            await connect();
            failures = 0; // the server ended a stream it had accepted (token expiry, restart): reconnect at once-ish
          } catch (error) {
            if (stop.signal.aborted) break;
            const problem = isCmsError(error) ? (error as CmsError) : undefined;
            if (problem?.status !== undefined && FINAL_STATUSES.has(problem.status)) {
              report(error);
              break;
            }
            report(
              problem
                ? error
                : error instanceof CmsConnectionError
                  ? error
                  : new CmsConnectionError('The event stream was interrupted', {
                      code: 'connection_error',
                      cause: error,
                    }),
            );
            failures++;
          }
          if (stop.signal.aborted) break;
          await sleep(backoff(retryMs, failures, maxRetryMs), stop.signal);
        }
        options.signal?.removeEventListener('abort', onAbort);
      })();

      return {
        close: () => stop.abort(),
        get lastEventId() {
          return lastEventId;
        },
        done,
      };
    },
  };
}

/** `base` after a clean end; capped exponential with jitter after failures (0.5–1× the step). */
function backoff(base: number, failures: number, max: number): number {
  return failures === 0 ? base : backoffDelayMs(failures, { initialMs: base, maxMs: max, jitter: 'equal' });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

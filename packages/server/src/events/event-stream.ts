// One caller's live event stream: replay after the resume point, then wait for wake-ups (new events
// that concern the caller, read once per instance by the shared feed, or bus notices without a feed)
// and heartbeats. The stream is pulled, so a slow
// client slows its reads instead of buffering events in the server.
import type { Db } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import type { EventBus } from './event-bus.js';
import { noticeConcerns } from './event-bus.js';
import { type EventFeed, feedEventConcerns } from './event-feed.js';
import { type EventReader, newestEventId, readEvents, resumeRefusal } from './read-events.js';
import { formatSse, sseComment } from './sse-format.js';

export interface EventStreamOptions {
  db: Db;
  bus: EventBus;
  reader: EventReader;
  /**
   * The instance's shared reader of new events: when given, the stream is woken by its reads and takes
   * new events from its buffer instead of reading the table itself (see event-feed.ts).
   */
  feed?: EventFeed;
  /** The client's `Last-Event-ID`, when it resumes. */
  lastEventId?: number;
  heartbeatMs: number;
  /** Reconnection delay suggested to clients (`retry:`). */
  retryMs: number;
  /** Events per read; replay runs in pages of this size. @default 200 */
  pageSize?: number;
  /** Checked at every heartbeat (the session may have ended); false ends the stream. */
  stillAuthorized: () => Promise<boolean>;
  /** Ends the stream: server shutdown, token expiry. */
  signal: AbortSignal;
  /** Called once when the stream ends, however it ends. */
  onEnd: () => void;
  /** Where a stream that fails after it started is reported. */
  logger: Logger;
}

export function openEventStream(o: EventStreamOptions): ReadableStream<Uint8Array> {
  const ended = new AbortController();
  const end = () => ended.abort();
  o.signal.addEventListener('abort', end, { once: true });
  if (o.signal.aborted) end();
  let woken = false;
  let wake: (() => void) | undefined;
  const unsubscribe = o.feed
    ? o.feed.onEvents((events) => {
        if (!events.some((e) => feedEventConcerns(o.reader, e))) return;
        woken = true;
        wake?.();
      })
    : o.bus.subscribe((notice) => {
        if (!noticeConcerns(notice, o.reader.organizationId, o.reader.did)) return;
        woken = true;
        wake?.();
      });
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    unsubscribe();
    o.signal.removeEventListener('abort', end);
    end();
    o.onEnd();
  };

  /** Resolves on a relevant notice, after `ms`, or when the stream ends; says which. */
  const waitForWake = (ms: number) =>
    new Promise<'wake' | 'heartbeat' | 'end'>((resolve) => {
      if (ended.signal.aborted) return resolve('end');
      if (woken) return resolve('wake');
      const done = (why: 'wake' | 'heartbeat' | 'end') => {
        clearTimeout(timer);
        ended.signal.removeEventListener('abort', onEnd);
        wake = undefined;
        resolve(why);
      };
      const onEnd = () => done('end');
      const timer = setTimeout(() => done('heartbeat'), ms);
      ended.signal.addEventListener('abort', onEnd, { once: true });
      wake = () => done('wake');
    });

  async function* chunks(): AsyncGenerator<string> {
    let cursor: number;
    const refusal = o.lastEventId === undefined ? undefined : await resumeRefusal(o.db, o.lastEventId);
    if (o.lastEventId !== undefined && refusal === undefined) {
      cursor = o.lastEventId;
      yield formatSse({ retry: o.retryMs });
    } else {
      // A fresh stream (or one that cannot resume) starts after the newest event, and says so with an
      // `id:` so that a reconnect resumes from there instead of from its own later start.
      cursor = await newestEventId(o.db);
      const id = cursor > 0 ? String(cursor) : undefined;
      yield formatSse({ retry: o.retryMs, ...(id && !refusal && { id }) });
      if (refusal)
        yield formatSse({
          event: 'reset',
          data: JSON.stringify({ reason: refusal, lastEventId: String(o.lastEventId) }),
          ...(id && { id }),
        });
    }
    const pageSize = o.pageSize ?? 200;
    let checkedAt = Date.now();
    while (!ended.signal.aborted) {
      // The session is re-checked once per heartbeat interval, also on a stream too busy to fall idle.
      if (Date.now() - checkedAt >= o.heartbeatMs) {
        if (!(await o.stillAuthorized())) return;
        checkedAt = Date.now();
      }
      woken = false;
      const events =
        o.feed?.eventsAfter(o.reader, cursor, pageSize) ?? (await readEvents(o.db, o.reader, cursor, pageSize));
      for (const event of events) {
        cursor = Number(event.id);
        yield formatSse({ event: event.type, id: event.id, data: JSON.stringify(event) });
      }
      if (events.length === pageSize) continue; // more to replay
      const why = await waitForWake(o.heartbeatMs);
      if (why === 'end') return;
      if (why === 'heartbeat') {
        if (!(await o.stillAuthorized())) return;
        checkedAt = Date.now();
        // A heartbeat also reads the table: a lost bus notice delays an event by one heartbeat at most.
        // Through the feed that read is shared (and a failed one leaves the stream to read itself).
        await o.feed?.refresh().catch(() => {});
        yield sseComment('keep-alive');
      }
    }
  }

  const encoder = new TextEncoder();
  const source = chunks();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: IteratorResult<string>;
      try {
        next = await source.next();
      } catch (error) {
        // The response has started: the stream can only end; the client reconnects with Last-Event-ID.
        if (!finished) o.logger.error({ err: error }, 'event stream failed');
        next = { done: true, value: undefined };
      }
      if (finished && !next.done) return; // cancelled by the client meanwhile
      if (next.done || ended.signal.aborted) {
        const wasFinished = finished;
        finish();
        if (!wasFinished) controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      // The client went away.
      finish();
      await source.return(undefined);
    },
  });
}

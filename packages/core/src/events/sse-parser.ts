// An incremental parser of `text/event-stream` as the WHATWG HTML standard (§9.2.6) specifies it: lines
// end in CRLF, LF or CR (even split across chunks); `data` lines accumulate; `id` without NULL sets the
// last event id (kept even when no event is dispatched); `retry` takes digits only; comments are skipped.
// Not `eventsource-parser`: its 4.x needs Node 22.12, and 3.x keeps an `id` only for the event it comes
// with, so the id-only frame that opens every CMS stream (the resume point, see GET /v1/events) is lost,
// and a later event without an `id:` line reports none instead of the stream's last one.

export interface SseEvent {
  /** `event:` field, `message` when absent. */
  type: string;
  data: string;
  /** The last event id as of this event (the stream's, not only this event's). */
  lastEventId: string;
}

export interface SseParserHandlers {
  onEvent(event: SseEvent): void;
  /** A `retry:` field: the reconnection delay the server asks for, in ms. */
  onRetry?(ms: number): void;
}

export interface SseParser {
  /** Feeds decoded text; events are dispatched as their blank line arrives. */
  feed(text: string): void;
  /** The last event id seen so far ('' before any). */
  readonly lastEventId: string;
}

export function createSseParser(handlers: SseParserHandlers, initialLastEventId = ''): SseParser {
  let buffer = '';
  let first = true;
  let pendingCr = false;
  let data = '';
  let type = '';
  let lastEventId = initialLastEventId;

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data += `${value}\n`;
    else if (field === 'event') type = value;
    else if (field === 'id') {
      if (!value.includes('\0')) lastEventId = value;
    } else if (field === 'retry') {
      if (/^\d+$/.test(value)) handlers.onRetry?.(Number(value));
    }
  };
  const dispatch = () => {
    if (data === '') {
      type = '';
      return;
    }
    const event = { type: type || 'message', data: data.slice(0, -1), lastEventId };
    data = '';
    type = '';
    handlers.onEvent(event);
  };

  return {
    feed(text) {
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      // A CR that ended the previous chunk already ended its line: a LF opening this one belongs to it.
      if (pendingCr && text.startsWith('\n')) text = text.slice(1);
      pendingCr = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== '\n' && c !== '\r') continue;
        line(buffer.slice(start, i));
        if (c === '\r') {
          if (i + 1 === buffer.length) pendingCr = true;
          else if (buffer[i + 1] === '\n') i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}

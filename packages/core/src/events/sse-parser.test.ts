import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse-parser.js';

function parse(chunks: string[], initial?: string) {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const parser = createSseParser({ onEvent: (e) => events.push(e), onRetry: (ms) => retries.push(ms) }, initial);
  for (const c of chunks) parser.feed(c);
  return { events, retries, lastEventId: parser.lastEventId };
}

describe('createSseParser', () => {
  it('joins multi-line data, takes event and id, and defaults the type to message', () => {
    const { events } = parse(['event: contract.signed\nid: 7\ndata: {"a":\ndata: 1}\n\n', 'data: plain\n\n']);
    expect(events).toEqual([
      { type: 'contract.signed', data: '{"a":\n1}', lastEventId: '7' },
      { type: 'message', data: 'plain', lastEventId: '7' },
    ]);
  });

  it('handles CRLF, CR and LF line ends, also split across chunks, and a leading BOM', () => {
    const { events } = parse(['\uFEFFdata: a\r', '\n\r\ndata: b\r\rdata: c\n', '\n']);
    expect(events.map((e) => e.data)).toEqual(['a', 'b', 'c']);
  });

  it('waits for the blank line: a partial event is not dispatched', () => {
    const { events } = parse(['data: one\n\ndata: tw', 'o\n']);
    expect(events.map((e) => e.data)).toEqual(['one']);
  });

  it('skips comments, ignores unknown fields, strips only one leading space, keeps values without a colon', () => {
    const { events } = parse([': keep-alive\n\nfoo: bar\ndata:  two spaces\ndata\n\n']);
    expect(events).toEqual([{ type: 'message', data: ' two spaces\n', lastEventId: '' }]);
  });

  it('updates the last event id from an id-only frame without dispatching, and ignores ids with NULL', () => {
    const { events, lastEventId } = parse(['id: 41\n\n', 'id: 4\u00002\n\n'], '40');
    expect(events).toEqual([]);
    expect(lastEventId).toBe('41');
  });

  it('reports retry only for digit values', () => {
    expect(parse(['retry: 3000\nretry: 1e3\nretry: -1\n\n']).retries).toEqual([3000]);
  });
});

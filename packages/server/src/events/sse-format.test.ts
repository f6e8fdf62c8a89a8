import { describe, expect, it } from 'vitest';
import { formatSse, sseComment } from './sse-format.js';

describe('formatSse', () => {
  it('writes retry, event, id and one data line per line, ended by a blank line', () => {
    expect(formatSse({ event: 'contract.sent', id: '7', data: '{"a":1}' })).toBe(
      'event: contract.sent\nid: 7\ndata: {"a":1}\n\n',
    );
    expect(formatSse({ retry: 3000, id: '12' })).toBe('retry: 3000\nid: 12\n\n');
    expect(formatSse({ data: 'one\r\ntwo\nthree' })).toBe('data: one\ndata: two\ndata: three\n\n');
    expect(sseComment('keep-alive')).toBe(': keep-alive\n\n');
  });

  it('refuses field values that would break the framing', () => {
    expect(() => formatSse({ event: 'a\nid: 1' })).toThrow('SSE field values must be single lines');
    expect(() => formatSse({ id: '1\r' })).toThrow('SSE field values must be single lines');
  });
});

// A small Server-Sent Events client for API tests: opens GET /v1/events with fetch and hands out the
// parsed messages (events, `id:`-only messages, comments) in order, so tests assert on the wire format.
export interface SseFrame {
  event?: string;
  id?: string;
  data?: string;
  retry?: number;
  /** Comment lines (`: keep-alive`). */
  comments: string[];
}

export interface SseConnection {
  status: number;
  headers: Headers;
  /** The body when the response is not a stream (a problem). */
  // biome-ignore lint/suspicious/noExplicitAny: a problem body of any operation, read by assertions
  problem?: any;
  /** The next frame, waiting for it; undefined once the stream has ended. */
  next(): Promise<SseFrame | undefined>;
  /** Frames until one matches, or undefined when the stream ends first. */
  until(match: (f: SseFrame) => boolean): Promise<SseFrame[]>;
  /** The next frames carrying data (events), skipping heartbeats and `id:`-only frames. */
  events(n: number): Promise<SseFrame[]>;
  close(): Promise<void>;
}

export async function openSse(
  baseUrl: string,
  token: string,
  query = '',
  headers: Record<string, string> = {},
): Promise<SseConnection> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/v1/events${query}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
    signal: controller.signal,
  });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    return {
      status: res.status,
      headers: res.headers,
      problem: await res.json(),
      next: async () => undefined,
      until: async () => [],
      events: async () => [],
      close: async () => {},
    };
  }
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let ended = false;
  const next = async (): Promise<SseFrame | undefined> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return parseFrame(block);
      }
      if (ended) return undefined;
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) ended = true;
      else buffer += chunk.value;
    }
  };
  const until = async (match: (f: SseFrame) => boolean) => {
    const frames: SseFrame[] = [];
    for (let f = await next(); f; f = await next()) {
      frames.push(f);
      if (match(f)) return frames;
    }
    return frames;
  };
  return {
    status: res.status,
    headers: res.headers,
    next,
    until,
    async events(n) {
      const out: SseFrame[] = [];
      while (out.length < n) {
        const f = await next();
        if (!f) break;
        if (f.data !== undefined) out.push(f);
      }
      return out;
    },
    async close() {
      controller.abort();
      await reader.cancel().catch(() => {});
    },
  };
}

function parseFrame(block: string): SseFrame {
  const frame: SseFrame = { comments: [] };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      frame.comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
    else if (field === 'event') frame.event = value;
    else if (field === 'id') frame.id = value;
    else if (field === 'retry') frame.retry = Number(value);
  }
  return frame;
}

// A webhook receiver on loopback for tests: records every request (headers, raw body, when it came and
// when it was answered) and answers what the test's `respond` says, possibly after holding the request.
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface ReceivedRequest {
  /** The `webhook-id` header. */
  id: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
  /** When the answer went out; undefined while held or when the connection closed first. */
  answeredAt?: number;
  status?: number;
}

export interface ReceiverAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Hold the request until this resolves (e.g. a test's gate), then answer. */
  holdUntil?: Promise<unknown>;
}

export interface WebhookReceiver {
  /** e.g. `http://127.0.0.1:41234/hook` */
  url: string;
  requests: ReceivedRequest[];
  /** Requests currently held (received, not yet answered, connection open). */
  inFlight(): number;
  /** The most requests ever held at once. */
  maxInFlight(): number;
  /** Resolves once `predicate` holds for the requests (polled every 20 ms), or rejects after `timeoutMs`. */
  until(predicate: (requests: ReceivedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** `respond` gets the request and how many earlier requests carried the same `webhook-id`. */
export async function startWebhookReceiver(
  respond: (request: ReceivedRequest, earlierWithSameId: number) => ReceiverAnswer = () => ({ status: 204 }),
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', async () => {
      const id = String(req.headers['webhook-id'] ?? '');
      const record: ReceivedRequest = { id, headers: req.headers, body, receivedAt: Date.now() };
      const earlier = requests.filter((r) => r.id === id).length;
      requests.push(record);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let open = true;
      res.on('close', () => {
        if (open) inFlight -= 1;
        open = false;
      });
      const answer = respond(record, earlier);
      await answer.holdUntil;
      if (!open) return;
      open = false;
      inFlight -= 1;
      record.answeredAt = Date.now();
      record.status = answer.status;
      res.writeHead(answer.status, answer.headers).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    async until(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(requests)) {
        if (Date.now() > deadline)
          throw new Error(
            `receiver: condition not met within ${timeoutMs} ms; got ${requests.length} requests: ${requests
              .map((r) => `${r.id}→${r.status ?? 'held'}`)
              .join(', ')}`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

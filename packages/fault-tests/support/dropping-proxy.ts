// A loopback HTTP proxy in front of the server that loses a share of responses *after* the server
// answered: it reads the whole response, then closes the client's connection instead of passing it on,
// as a dropped connection or a crashed load balancer would. The client saw nothing; the server did it.
import { Agent, createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DroppingProxy {
  url: string;
  /** Share of responses to drop, 0..1, for requests `filter` accepts. */
  dropRate: number;
  filter: (method: string, path: string) => boolean;
  /** Responses dropped so far. */
  readonly dropped: number;
  /** Requests forwarded so far. */
  readonly forwarded: number;
  close(): Promise<void>;
}

export async function startDroppingProxy(target: string, o: { random?: () => number } = {}): Promise<DroppingProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const random = o.random ?? Math.random;
  let dropped = 0;
  let forwarded = 0;
  const proxy: DroppingProxy = {
    url: '',
    dropRate: 0,
    filter: () => true,
    get dropped() {
      return dropped;
    },
    get forwarded() {
      return forwarded;
    },
    close: async () => {
      agent.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      forwarded++;
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
          agent,
        },
        (answer: IncomingMessage) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            if (proxy.dropRate > 0 && proxy.filter(req.method ?? 'GET', req.url ?? '/') && random() < proxy.dropRate) {
              dropped++;
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          });
          answer.on('error', () => req.socket.destroy());
        },
      );
      // The server is down or died mid-request: the client's connection breaks, as it would without the proxy.
      out.on('error', () => req.socket.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  // Idle client connections are closed when the test ends.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

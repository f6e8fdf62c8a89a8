// A request whose body arrives in two parts, the second when the test says so: an in-flight request
// the test controls, without a slow route in the server (shutdown drain, request timeouts).
import { request as httpRequest } from 'node:http';

export interface SlowRequest {
  /** Sends the rest of the body. */
  finish(): void;
  /** The response, whenever it comes (before `finish` when the server gives up first). */
  response: Promise<{ status: number; body: string }>;
  /** Drops the connection. */
  abort(): void;
}

/** Opens `POST url` with a JSON body and sends only its first half until `finish()`. */
export async function startSlowRequest(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<SlowRequest> {
  const bytes = Buffer.from(JSON.stringify(body));
  const half = Math.floor(bytes.length / 2);
  const req = httpRequest(url, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': String(bytes.length), ...headers },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  // Headers and the first half are on the wire (the server is handling the request) once the socket took them.
  await new Promise<void>((resolve, reject) => {
    req.once('error', reject);
    req.write(bytes.subarray(0, half), (error) => (error ? reject(error) : resolve()));
  });
  return { finish: () => req.end(bytes.subarray(half)), response, abort: () => req.destroy() };
}

/** Resolves once a new connection to `url` is refused (the server stopped listening). */
export async function untilRefused(url: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const refused = await new Promise<boolean>((resolve) => {
      const req = httpRequest(`${url}/healthz`, { agent: false }, (res) => (res.resume(), resolve(false)));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
      req.end();
    });
    if (refused) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${url} still accepts connections`);
}

// The enclave's listener: a unix socket (created 0600 inside a 0700 directory) speaking length-prefixed
// CBOR frames. Requests on one connection run concurrently and are answered by id, each inside the
// operation limits; a frame over `maxRequestBytes` closes its connection after a `too_large` answer.
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { encodeFrame, FrameDecoder, FrameTooLargeError } from '../protocol/frames.js';
import type { EnclaveRequest, EnclaveResponse } from '../protocol/operations.js';
import { EnclaveError } from './enclave-error.js';
import type { Handlers } from './enclave-handlers.js';
import type { OperationLimits } from './operation-limits.js';
import { ensurePrivateDir } from './private-files.js';

export interface EnclaveServerOptions {
  socketPath: string;
  handlers: Handlers;
  limits: OperationLimits;
  maxRequestBytes: number;
  log: (entry: Record<string, unknown>) => void;
}

export interface EnclaveServer {
  close(): Promise<void>;
}

export async function listenEnclave(options: EnclaveServerOptions): Promise<EnclaveServer> {
  const { socketPath, handlers, limits, log } = options;
  ensurePrivateDir(dirname(socketPath));
  // A socket left by a crashed enclave would make listen fail with EADDRINUSE.
  if (existsSync(socketPath)) unlinkSync(socketPath);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const decoder = new FrameDecoder(options.maxRequestBytes);
    const answer = (response: EnclaveResponse) => {
      if (!socket.destroyed) socket.write(encodeFrame(response));
    };
    socket.on('data', (chunk: Buffer) => {
      let messages: unknown[];
      try {
        messages = decoder.push(chunk);
      } catch (error) {
        const message =
          error instanceof FrameTooLargeError
            ? `request of ${error.length} bytes exceeds ${error.limit}`
            : 'undecodable frame';
        socket.end(
          encodeFrame({
            id: 0,
            ok: false,
            error: { code: error instanceof FrameTooLargeError ? 'too_large' : 'bad_request', message },
          } satisfies EnclaveResponse),
        );
        return;
      }
      for (const message of messages) void dispatch(message as EnclaveRequest).then(answer);
    });
  });

  async function dispatch(request: EnclaveRequest): Promise<EnclaveResponse> {
    const id = typeof request?.id === 'number' ? request.id : 0;
    const handler = Object.hasOwn(handlers, request?.op)
      ? (handlers[request.op] as (args: unknown) => unknown)
      : undefined;
    if (!handler)
      return {
        id,
        ok: false,
        error: { code: 'bad_request', message: `unknown operation ${String(request?.op).slice(0, 40)}` },
      };
    try {
      const result = await limits.run(request.op, () => handler(request.args ?? {}));
      return { id, ok: true, result };
    } catch (error) {
      if (error instanceof EnclaveError) return { id, ok: false, error: { code: error.code, message: error.message } };
      // Unexpected: the message may quote a value, so it stays in the enclave's own log.
      log({ level: 'error', msg: 'operation failed', op: request.op, error: String((error as Error)?.stack ?? error) });
      return { id, ok: false, error: { code: 'internal', message: `${request.op} failed inside the enclave` } };
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Owner-only from the first moment: no window in which the socket is world-connectable.
    const previous = process.umask(0o177);
    server.listen(socketPath, () => {
      process.umask(previous);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// The server's end of the enclave socket: one connection, requests multiplexed by id, each with its own
// deadline. A broken or refused connection fails the requests in flight with `unavailable` and is
// opened again by the next request, so a restarted enclave is picked up without any notice.
import { connect, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from '../protocol/frames.js';
import type {
  EnclaveErrorCode,
  EnclaveOperation,
  EnclaveResponse,
  OperationArgs,
  OperationResult,
} from '../protocol/operations.js';

/** `unavailable`: no answer at all (not running, connection lost, deadline passed on our side). */
export type EnclaveCallErrorCode = EnclaveErrorCode | 'unavailable';

export class EnclaveCallError extends Error {
  override name = 'EnclaveCallError';
  constructor(
    readonly code: EnclaveCallErrorCode,
    message: string,
  ) {
    super(message);
  }
  /** Worth retrying later: the enclave was down, overloaded or slow. */
  get retryable(): boolean {
    return this.code === 'unavailable' || this.code === 'busy' || this.code === 'timeout';
  }
}

export interface EnclaveConnection {
  call<O extends EnclaveOperation>(
    op: O,
    args: OperationArgs<O>,
    options?: { timeoutMs?: number },
  ): Promise<OperationResult<O>>;
  close(): void;
}

interface Pending {
  socket: Socket;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export function createEnclaveConnection(options: {
  socketPath: string;
  timeoutMs: number;
  connectTimeoutMs?: number;
}): EnclaveConnection {
  let socket: Socket | undefined;
  let ready: Promise<Socket> | undefined;
  let connecting: Socket | undefined;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, Pending>();

  /** Fails the calls written to `on` (every call without it). */
  const failAll = (error: EnclaveCallError, on?: Socket) => {
    for (const [id, p] of pending) {
      if (on && p.socket !== on) continue;
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(error);
    }
  };

  function forget(s: Socket) {
    if (socket === s || connecting === s) {
      socket = undefined;
      ready = undefined;
    }
    s.destroy();
  }

  function open(): Promise<Socket> {
    return (ready ??= new Promise<Socket>((resolve, reject) => {
      const s = connect(options.socketPath);
      const decoder = new FrameDecoder();
      const connectTimer = setTimeout(() => s.destroy(new Error('connect timeout')), options.connectTimeoutMs ?? 2000);
      s.once('connect', () => {
        clearTimeout(connectTimer);
        socket = s;
        resolve(s);
      });
      s.on('data', (chunk: Buffer) => {
        let messages: unknown[];
        try {
          messages = decoder.push(chunk);
        } catch {
          s.destroy();
          return;
        }
        for (const m of messages as EnclaveResponse[]) {
          // Id 0: the enclave refused the connection's last frame (too large, undecodable) and closes it.
          if (m.id === 0 && !m.ok) {
            failAll(new EnclaveCallError(m.error.code, m.error.message), s);
            forget(s);
          }
          const p = pending.get(m.id);
          if (!p) continue;
          pending.delete(m.id);
          clearTimeout(p.timer);
          if (m.ok) p.resolve(m.result);
          else p.reject(new EnclaveCallError(m.error.code, m.error.message));
        }
      });
      s.on('error', () => {});
      // The enclave ended the connection: new calls must not be written into it.
      s.once('end', () => forget(s));
      connecting = s;
      s.once('close', () => {
        clearTimeout(connectTimer);
        // Only this socket's state: a newer connection may already be open or opening.
        if (socket === s || (socket === undefined && connecting === s)) {
          socket = undefined;
          ready = undefined;
        }
        reject(new EnclaveCallError('unavailable', 'the enclave is not reachable'));
        failAll(new EnclaveCallError('unavailable', 'the connection to the enclave was lost'), s);
      });
    }));
  }

  return {
    async call(op, args, callOptions) {
      if (closed) throw new EnclaveCallError('unavailable', 'the enclave client is closed');
      const s = await open();
      const id = nextId++;
      const timeoutMs = callOptions?.timeoutMs ?? options.timeoutMs;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new EnclaveCallError('unavailable', `the enclave did not answer ${op} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { socket: s, resolve: resolve as (v: unknown) => void, reject, timer });
        s.write(encodeFrame({ id, op, args }));
      });
    },
    close() {
      closed = true;
      socket?.destroy();
      failAll(new EnclaveCallError('unavailable', 'the enclave client is closed'));
    },
  };
}

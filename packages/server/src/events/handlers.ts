import { AppError } from '../errors/app-error.js';
import type { StreamEventType } from '../generated/schemas.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { STREAM_EVENT_TYPES } from './contract-event-types.js';
import { openEventStream } from './event-stream.js';

export function eventHandlers(
  s: Pick<Services, 'authenticate' | 'closing' | 'database' | 'events' | 'logger'>,
): Pick<OperationHandlers, 'streamEvents'> {
  return {
    streamEvents: async (c) => {
      const principal = c.get('principal');
      const query = c.req.valid('query');
      const lastEventId = c.req.valid('header')['last-event-id'] ?? query.lastEventId;
      const types = query.types?.split(',');
      const unknownType = types?.find((t) => !(STREAM_EVENT_TYPES as readonly string[]).includes(t));
      if (unknownType)
        throw new AppError('validation_failed', undefined, {
          errors: [{ path: '/query/types', message: `unknown event type ${unknownType}` }],
        });
      const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')![1]!;
      // Tokens are accepted a little past `exp` (clock skew), but a stream ends at `exp`: one opened with
      // an expired token would end at once, so the client is told to refresh first.
      const expiresAt = accessTokenExpiry(token);
      if (expiresAt <= Date.now()) {
        throw new AppError('invalid_token', 'The access token has expired; refresh it and reconnect.', {
          headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        });
      }
      const release = s.events.streams.acquire(principal.userId);
      if (!release) {
        throw new AppError(
          'too_many_streams',
          `A user may hold ${s.events.config.maxStreamsPerUser} event streams on this server; close one first.`,
          {
            headers: { 'retry-after': String(Math.ceil(s.events.config.retryMs / 1000)) },
          },
        );
      }
      // The stream ends when the access token expires (the client reconnects with a fresh one) or the server closes.
      const ends = AbortSignal.any([s.closing, c.req.raw.signal, AbortSignal.timeout(expiresAt - Date.now())]);
      const body = openEventStream({
        db: s.database.db,
        bus: s.events.bus,
        feed: s.events.feed,
        reader: {
          organizationId: principal.organizationId,
          did: principal.did,
          types: types as StreamEventType[] | undefined,
          contractId: query.contractId,
        },
        lastEventId: lastEventId === undefined ? undefined : Number(lastEventId),
        heartbeatMs: s.events.config.heartbeatMs,
        retryMs: s.events.config.retryMs,
        stillAuthorized: () =>
          s.authenticate(token).then(
            () => true,
            () => false,
          ),
        signal: ends,
        onEnd: release,
        logger: s.logger,
      });
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          // Proxies (nginx) must not buffer the stream.
          'x-accel-buffering': 'no',
        },
      }) as never;
    },
  };
}

/** The `exp` of an access token the authorization middleware has already verified, in ms. */
function accessTokenExpiry(token: string): number {
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number };
  return claims.exp * 1000;
}

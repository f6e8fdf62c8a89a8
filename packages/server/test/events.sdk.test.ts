// The SDK's events.subscribe against a real server: live events, and a seamless reconnect when the
// server ends the stream (here: the access token expires, so the reconnect also refreshes it).
import type { ContractEvent } from '@cms/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient } from './api-helpers.js';

describe('cms.events.subscribe against the server', () => {
  let server: TestServer;

  beforeAll(async () => {
    // Two-second tokens: the server ends each stream when its token expires.
    server = await startTestServer({
      accessTokenTtlSeconds: 2,
      events: { heartbeatMs: 15_000, maxStreamsPerUser: 10, retryMs: 100 },
    });
  });
  afterAll(() => server?.close());

  it('receives every event exactly once across a server-ended stream, reconnecting with a refreshed token', async () => {
    const { client, token } = await loggedInClient(server.url);
    const received: ContractEvent[] = [];
    let opens = 0;
    let notify = () => {};
    const changed = () => new Promise<void>((resolve) => (notify = resolve));
    const errors: string[] = [];
    // Waits for a state, or fails at once (with what the subscription reported) if it ends first.
    const waitFor = async (check: () => boolean) => {
      const ended = sub.done.then(() => {
        throw new Error(`the subscription ended; it reported: ${errors.join(' | ') || 'nothing'}`);
      });
      while (!check()) await Promise.race([changed(), ended]);
    };
    const sub = client.events.subscribe(
      { types: ['contract.created'] },
      (event) => {
        received.push(event);
        notify();
      },
      { onOpen: () => (opens++, notify()), onError: (e) => errors.push(String(e)) },
    );
    await waitFor(() => opens >= 1);
    const created = [(await client.contracts.create({ title: 'Before' })).id];
    await waitFor(() => received.length === 1);
    created.push((await client.contracts.create({ title: 'Around the expiry 1' })).id);
    created.push((await client.contracts.create({ title: 'Around the expiry 2' })).id);
    // The first token expires: the server ends the stream and the SDK reconnects with Last-Event-ID.
    await waitFor(() => opens >= 2); // two-second tokens: on a slow machine a later stream may have ended too
    created.push((await client.contracts.create({ title: 'After' })).id);
    await waitFor(() => received.length >= 4);

    expect(received.map((e) => e.contractId)).toEqual(created);
    expect(received.every((e) => e.organizationId === token.organizationId && e.type === 'contract.created')).toBe(
      true,
    );
    expect(sub.lastEventId).toBe(received.at(-1)!.id);
    // The reconnect needed a new access token, which the client got with its refresh token.
    expect(client.auth.accessToken).not.toBe(token.accessToken);
    sub.close();
    await sub.done;
  });
});

// Open event streams share one read of new events per instance: a notice makes the instance's feed read
// the table once, and every stream picks what its caller may see from that read.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient } from './api-helpers.js';
import { openSse, type SseConnection } from './support/sse-reader.js';

let server: TestServer;
beforeAll(async () => {
  // Heartbeats (which also read) far beyond the test: only notices wake the streams.
  server = await startTestServer({ events: { heartbeatMs: 600_000, maxStreamsPerUser: 10, retryMs: 3000 } });
});
afterAll(() => server?.close());

it('reads each change once for all open streams, and gives each stream only what its caller may see', async () => {
  const owner = await loggedInClient(server.url);
  const party = await loggedInClient(server.url);
  const outsider = await loggedInClient(server.url);
  const streams: SseConnection[] = [];
  const open = async (token: string, n: number) => {
    const opened = [];
    for (let i = 0; i < n; i++) opened.push(await openSse(server.url, token, '?types=contract.created'));
    for (const s of opened) await s.next(); // the `retry:`/`id:` preamble
    streams.push(...opened);
    return opened;
  };
  try {
    const ownerStreams = await open(owner.token.accessToken, 8);
    const partyStreams = await open(party.token.accessToken, 8);
    const [outsiderStream] = await open(outsider.token.accessToken, 1);
    const before = server.services.events.feed.stats();
    const created = await owner.client.contracts.create({
      title: 'Seen by 16 streams, read once',
      parties: [{ did: party.key.did, role: 'signer' }],
    });
    for (const s of [...ownerStreams, ...partyStreams]) {
      const [frame] = await s.events(1);
      expect(JSON.parse(frame!.data!)).toMatchObject({ type: 'contract.created', contractId: created.id });
    }
    // One notice, one read of the table, and each of the 16 streams it concerns took the event from it
    // (the outsider's stream is not even woken).
    const after = server.services.events.feed.stats();
    expect(after.reads - before.reads).toBe(1);
    expect(after.served - before.served).toBeGreaterThanOrEqual(16);
    expect(after.missed - before.missed).toBe(0);
    // The outsider's stream got nothing: the next thing it sees is the contract of its own organization.
    const own = await outsider.client.contracts.create({ title: 'The outsider’s own' });
    const [frame] = await outsiderStream!.events(1);
    expect(JSON.parse(frame!.data!)).toMatchObject({ contractId: own.id });
  } finally {
    await Promise.all(streams.map((s) => s.close()));
  }
});

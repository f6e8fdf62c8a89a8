// Live events: what an open stream costs a write, and how long a change takes to reach every stream.
// Same run, same server (PGlite, in-process bus): contract creation with no stream open (baseline),
// then with BENCH_STREAMS streams open, timing each create until all streams have its event.
//
//   tsx bench/events.ts            BENCH_STREAMS (default 100), BENCH_SAMPLES (default 200);
//   CMS_TEST_DATABASE_URL=postgres://… runs it on a scratch PostgreSQL database instead of PGlite.
import { createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';
import { startTestServer } from '../src/testing/start-test-server.js';
import { ms, sample, table } from './stats.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 100);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);

const server = await startTestServer({ events: { heartbeatMs: 600_000, maxStreamsPerUser: STREAMS, retryMs: 3000 } });
try {
  const cms = createCmsClient({ baseUrl: server.url });
  await cms.auth.login(await didKeySigner((await generateDidKey()).privateKey));
  const create = (i: number) => cms.contracts.create({ title: `Bench ${i}` });

  const baseline = await sample(SAMPLES, create);

  // Each stream counts the `contract.created` events it gets; creates run one at a time.
  let received = 0;
  let allReceived: (() => void) | undefined;
  const controllers: AbortController[] = [];
  await Promise.all(
    Array.from({ length: STREAMS }, async () => {
      const controller = new AbortController();
      controllers.push(controller);
      const res = await fetch(`${server.url}/v1/events?types=contract.created`, {
        headers: { authorization: `Bearer ${cms.auth.accessToken}` },
        signal: controller.signal,
      });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      await reader.read(); // the first frame: the stream is live
      void (async () => {
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read().catch(() => ({ done: true as const, value: '' }));
          if (done) return;
          buffer += value;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            if (buffer.slice(0, end).includes('event: contract.created') && ++received === STREAMS) allReceived?.();
            buffer = buffer.slice(end + 2);
          }
        }
      })();
    }),
  );
  const withStreams = await sample(SAMPLES, create);
  const delivered = await sample(SAMPLES, async (i) => {
    received = 0;
    const all = new Promise<void>((resolve) => (allReceived = resolve));
    await create(i);
    await all;
  });
  for (const c of controllers) c.abort();

  console.log(
    table([
      ['', 'p50', 'p99', 'n'],
      ['create, no stream open (baseline)', ms(baseline.p50), ms(baseline.p99), String(baseline.n)],
      [`create, ${STREAMS} streams open`, ms(withStreams.p50), ms(withStreams.p99), String(withStreams.n)],
      [`create until all ${STREAMS} streams have the event`, ms(delivered.p50), ms(delivered.p99), String(delivered.n)],
    ]),
  );
} finally {
  await server.close();
}

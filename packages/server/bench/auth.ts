// Authentication cost, measured in one run on one machine:
// - access-token verification (header allow-list, kid lookup, EdDSA verify, claims) as a ratio to a
//   bare node:crypto Ed25519 verify of the same bytes with the same cached KeyObject (goal ≥ 0.4×);
// - the whole per-request check (verification + session lookup in the in-process store);
// - full logins per second over HTTP: challenge → did:key proof signed by the SDK → token exchange
//   (user lookup, audit event, session and refresh token), 4 clients at a time.
import { verify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';
import { Bench } from 'tinybench';
import { startTestServer } from '../src/testing/start-test-server.js';
import { table } from './stats.js';

const LOGIN_SECONDS = Number(process.env.BENCH_LOGIN_SECONDS ?? 8);
const server = await startTestServer();
try {
  const signer = await didKeySigner((await generateDidKey()).privateKey);
  const client = createCmsClient({ baseUrl: server.url });
  const { accessToken } = await client.auth.login(signer);
  const [h, p, s] = accessToken.split('.') as [string, string, string];
  const signingInput = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');
  const key = server.services.keys.current().publicKey;

  const bench = new Bench({ time: 2000, warmupTime: 300 });
  bench
    .add('node:crypto verify (baseline)', () => {
      if (!verify(null, signingInput, key, signature)) throw new Error('baseline failed');
    })
    .add('access token verify', () => {
      server.services.tokens.verify(accessToken);
    })
    .add('per-request check (token + session)', async () => {
      await server.services.authenticate(accessToken);
    });
  await bench.run();
  const hz = (name: string) => bench.tasks.find((t) => t.name === name)!.result!.throughput.mean;
  const baseline = hz('node:crypto verify (baseline)');
  const rows = bench.tasks.map((t) => [t.name, hz(t.name).toFixed(0), (hz(t.name) / baseline).toFixed(3)]);
  console.log('\n## Access-token verification (goal: ratio ≥ 0.4)\n');
  console.log(table([['check', 'ops/s', 'ratio to node:crypto verify'], ...rows]));

  // Full logins: each worker logs in fresh did:key users back to back for LOGIN_SECONDS.
  const signers = await Promise.all(
    Array.from({ length: 64 }, async () => didKeySigner((await generateDidKey()).privateKey)),
  );
  let logins = 0;
  const until = performance.now() + LOGIN_SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async (_, w) => {
      for (let i = w; performance.now() < until; i += 4) {
        await createCmsClient({ baseUrl: server.url }).auth.login(signers[i % signers.length]!);
        logins++;
      }
    }),
  );
  const perSecond = logins / ((performance.now() - started) / 1000);
  console.log(
    `\n## Full logins over HTTP (${LOGIN_SECONDS} s, 4 concurrent clients, database: ${server.engine}, store: ${server.services.store.kind})\n`,
  );
  console.log(
    table([
      ['metric', 'value'],
      ['logins/s', perSecond.toFixed(1)],
      ['access-token verifications per login', (hz('access token verify') / perSecond).toFixed(0)],
    ]),
  );
} finally {
  await server.close();
}

// The SDK side of `pnpm bench cli`, in its own process like the CLI: logs in with a fresh did:key and
// creates BENCH_ROWS contracts through `cms.contracts.create` with BENCH_CONCURRENCY workers.
import { createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';

const url = process.env.BENCH_URL;
const rows = Number(process.env.BENCH_ROWS);
const concurrency = Number(process.env.BENCH_CONCURRENCY);
const round = process.env.BENCH_ROUND ?? '0';
if (!url || !(rows > 0) || !(concurrency > 0))
  throw new Error('BENCH_URL, BENCH_ROWS and BENCH_CONCURRENCY are required');

const key = await generateDidKey();
const cms = createCmsClient({ baseUrl: url });
await cms.auth.login(await didKeySigner(key.privateKey));
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < rows) {
      const i = next++;
      await cms.contracts.create({ title: `SDK ${round}.${i}`, externalId: `sdk-${round}-${i}` });
    }
  }),
);

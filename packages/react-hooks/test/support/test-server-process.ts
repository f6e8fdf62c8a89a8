// Child-process entry: runs `startTestServer` under plain Node and reports its URL to the parent over IPC.
// It exits when the parent asks (`close`) or disappears, so a crashed test worker leaves no server behind.
// `CMS_TEST_SERVER_OPTIONS` (JSON, from `startCmsServer(options)`) asks for an enclave and webhook hosts.
import { loadConfig } from '@cms/server';
import { startTestServer, testEnclave } from '@cms/server/testing';
import type { CmsTestServerOptions } from './start-cms-server.js';

const options = JSON.parse(process.env.CMS_TEST_SERVER_OPTIONS ?? '{}') as CmsTestServerOptions;
const server = await startTestServer({
  ...(options.enclave && { enclave: testEnclave() }),
  ...(options.webhookAllowHosts && {
    webhooks: { ...loadConfig({}).webhooks, allowHosts: options.webhookAllowHosts, pollMs: 50 },
  }),
});
let closing: Promise<void> | undefined;
const shutdown = () => (closing ??= server.close().finally(() => process.exit(0)));

process.on('message', (message) => message === 'close' && void shutdown());
process.on('disconnect', () => void shutdown());
process.send!({ url: server.url });

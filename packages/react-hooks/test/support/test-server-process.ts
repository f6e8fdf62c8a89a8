// Child-process entry: runs `startTestServer` under plain Node and reports its URL to the parent over IPC.
// It exits when the parent asks (`close`) or disappears, so a crashed test worker leaves no server behind.
import { startTestServer } from '@cms/server/testing';

const server = await startTestServer();
let closing: Promise<void> | undefined;
const shutdown = () => (closing ??= server.close().finally(() => process.exit(0)));

process.on('message', (message) => message === 'close' && void shutdown());
process.on('disconnect', () => void shutdown());
process.send!({ url: server.url });

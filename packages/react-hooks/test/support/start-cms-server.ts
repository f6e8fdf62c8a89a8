// Starts a real CMS server for one test file and points the happy-dom page at it.
//
// The server cannot run inside the test file: vitest's happy-dom environment replaces `Request`,
// `Headers` and `fetch` with happy-dom's, and the server (hono's Node adapter) would build its
// requests from them and fail. So `startTestServer` runs in a child process under plain Node.
//
// The page is then served from the server's origin, as the web UI is in production: happy-dom's
// `fetch` enforces the same-origin policy, and the server answers no CORS preflight.
import { fork } from 'node:child_process';
import { join } from 'node:path';

/** What the server runs with beyond the defaults (no enclave, no chain, webhooks only to public hosts). */
export interface CmsTestServerOptions {
  /** Start an embedded enclave: files and webhook secrets need one, `GET /v1/enclave` describes it. */
  enclave?: boolean;
  /** Hosts webhooks may be delivered to over plain http on loopback or private addresses. */
  webhookAllowHosts?: string[];
}

export interface CmsTestServer {
  url: string;
  close(): Promise<void>;
}

// Paths from `import.meta.dirname`: vite rewrites `new URL(…, import.meta.url)` into page URLs under happy-dom.
const entry = join(import.meta.dirname, 'test-server-process.ts');
const packageDir = join(import.meta.dirname, '../..');

export async function startCmsServer(options: CmsTestServerOptions = {}): Promise<CmsTestServer> {
  const child = fork(entry, {
    env: { ...process.env, CMS_TEST_SERVER_OPTIONS: JSON.stringify(options) },
    cwd: packageDir, // where `--import tsx` resolves
    execArgv: ['--conditions=source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`the test server exited with code ${code} before it was ready`)));
  });
  (window as unknown as HappyDomWindow).happyDOM.setURL(url);
  return {
    url,
    async close() {
      if (child.connected) child.send('close');
      await exited;
    },
  };
}

interface HappyDomWindow {
  happyDOM: { setURL(url: string): void };
}

// `cms admin organizations list` against a server whose CMS_OPERATOR_DIDS names the CLI's key: every
// organization, paged; a key that is not an operator's is refused with the permission exit code.
import { startTestServer, type TestServer } from '@cms/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

let server: TestServer;
let operator: Record<string, string>;
beforeAll(async () => {
  const configDir = await tempDir();
  const generated = await runCli(['keys', 'generate', '--json'], { CMS_CONFIG_DIR: configDir });
  const { did } = JSON.parse(generated.stdout) as { did: string };
  server = await startTestServer({ operatorDids: [did] });
  operator = { CMS_CONFIG_DIR: configDir, CMS_SERVER: server.url };
  expect((await runCli(['login'], operator)).code).toBe(0);
}, 120_000);
afterAll(() => server?.close());

it('lists every organization to an operator, as a table, as JSON and page by page', async () => {
  const other = { CMS_CONFIG_DIR: await tempDir(), CMS_SERVER: server.url };
  await runCli(['keys', 'generate'], other);
  expect((await runCli(['login'], other)).code).toBe(0);
  expect((await runCli(['organizations', 'create', 'Acme Operations'], other)).code).toBe(0);

  const all = await runCli(['admin', 'organizations', 'list', '--all', '--json'], operator);
  expect(all, all.stderr).toMatchObject({ code: 0, stderr: '' });
  const orgs = JSON.parse(all.stdout) as { id: string; name: string; memberCount: number; contractCount: number }[];
  expect(orgs.find((o) => o.name === 'Acme Operations')).toMatchObject({ memberCount: 1, contractCount: 0 });
  expect(orgs.length).toBeGreaterThanOrEqual(3); // the operator's, the other user's personal one, Acme

  const first = await runCli(['admin', 'orgs', 'list', '--limit', '1'], operator);
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/ID\s+NAME\s+MEMBERS\s+CONTRACTS\s+CREATED/);
  const more = /more: (cms admin organizations list --limit 1 --cursor \S+)/.exec(first.stdout);
  expect(more).not.toBeNull();
  const page = await runCli([...more![1]!.split(' ').slice(1), '--json'], operator);
  expect(page.code).toBe(0);
  expect(JSON.parse(page.stdout).data[0].id).toBe(orgs[1]!.id);

  // Not an operator: refused, whatever its role in its own organization.
  const refused = await runCli(['admin', 'organizations', 'list'], other);
  expect(refused.code).toBe(3);
  expect(refused.stderr).toContain('forbidden');
});

// The CLI against a real server, run in-process: login, contracts create → get → list, errors.

import { randomUUID } from 'node:crypto';
import { chmod, readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Contract } from '@cms/sdk';
import { sharedTestServer } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissions, readToken, runCli, tempDir, tokenFile, writeToken } from './run-cli.js';

let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  server = await sharedTestServer();
});
afterAll(() => server?.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A config dir with a fresh key, logged in to the test server; `cms(...)` runs against it. */
async function loggedIn() {
  const configDir = await tempDir();
  const env = { CMS_CONFIG_DIR: configDir };
  const generated = await runCli(['keys', 'generate', '--json'], env);
  expect(generated.code).toBe(0);
  const did = JSON.parse(generated.stdout).did as string;
  const login = await runCli(['login', '--server', server.url], env);
  expect(login).toMatchObject({ code: 0, stderr: '' });
  const cms = (args: string[], options?: { stdin?: string }) => runCli(['--server', server.url, ...args], env, options);
  const json = async <T>(args: string[], options?: { stdin?: string }): Promise<T> => {
    const result = await cms([...args, '--json'], options);
    expect(result, result.stderr).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(result.stdout) as T;
  };
  return { configDir, env, did, login, cms, json };
}

describe('cms login / logout', () => {
  it('stores the tokens owner-only through the SDK token storage, per server, and never prints them', async () => {
    const { configDir, did, login } = await loggedIn();
    const file = tokenFile(configDir, server.url);
    expect(permissions((await stat(file)).mode)).toBe(0o600);
    expect(await readdir(join(configDir, 'credentials'))).toEqual([`${encodeURIComponent(server.url)}.json`]);
    const token = await readToken(configDir, server.url);
    expect(token).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^cmsr_/),
      refreshExpiresAt: expect.any(String),
      sessionId: expect.stringMatching(UUID),
      did,
      userId: expect.stringMatching(UUID),
      organizationId: expect.stringMatching(UUID),
      roles: ['owner'],
    });
    expect(token.accessToken.length).toBeGreaterThan(20);

    expect(login.stdout).toMatch(
      new RegExp(
        `^Logged in to ${server.url} as ${did}\nuser          ${token.userId}\norganization  ${token.organizationId}\nexpires       \\d{4}-\\d\\d-\\d\\dT\\S+Z\n$`,
      ),
    );
    expect(login.stdout).not.toContain(token.accessToken);
    expect(login.stdout).not.toContain(token.refreshToken);
  });

  it('prints the session without the token with --json, and takes the server from CMS_SERVER', async () => {
    const configDir = await tempDir();
    const env = { CMS_CONFIG_DIR: configDir, CMS_SERVER: `${server.url}/` };
    await runCli(['keys', 'generate'], env);
    const result = await runCli(['login', '--json'], env);
    expect(result.code).toBe(0);
    const token = await readToken(configDir, server.url);
    expect(JSON.parse(result.stdout)).toEqual({
      server: server.url,
      expiresAt: expect.any(String),
      refreshExpiresAt: token.refreshExpiresAt,
      sessionId: token.sessionId,
      did: token.did,
      userId: token.userId,
      organizationId: token.organizationId,
      roles: token.roles,
    });
    expect(result.stdout).not.toContain(token.accessToken);
    expect(result.stdout).not.toContain(token.refreshToken);
  });

  it('logs out of one server only', async () => {
    const { configDir, env, cms } = await loggedIn();
    const other = 'http://127.0.0.1:9';
    await writeToken(configDir, other, await readToken(configDir, server.url));

    expect(await cms(['logout'])).toEqual({ code: 0, stdout: `Logged out of ${server.url}\n`, stderr: '' });
    expect(await readdir(join(configDir, 'credentials'))).toEqual([`${encodeURIComponent(other)}.json`]);
    expect(await runCli(['logout', '--server', server.url, '--json'], env)).toEqual({
      code: 0,
      stdout: `${JSON.stringify({ server: server.url, loggedOut: false }, null, 2)}\n`,
      stderr: '',
    });
    expect((await cms(['contracts', 'list'])).code).toBe(3);
  });

  it('logs in with --key and warns when the key file is readable by others', async () => {
    const configDir = await tempDir();
    const keyFile = join(await tempDir(), 'shared-key.json');
    const { did } = JSON.parse((await runCli(['keys', 'generate', '--out', keyFile, '--json'], {})).stdout) as {
      did: string;
    };
    await chmod(keyFile, 0o644);
    const result = await runCli(['login', '--key', keyFile, '--server', server.url, '--json'], {
      CMS_CONFIG_DIR: configDir,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).did).toBe(did);
    expect(result.stderr).toBe(`warning: ${keyFile} is accessible by other users; run \`chmod 600 ${keyFile}\`\n`);
  });

  it('explains a missing key file', async () => {
    const configDir = await tempDir();
    const result = await runCli(['login', '--server', server.url], { CMS_CONFIG_DIR: configDir });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: no key file at ${join(configDir, 'key.json')}; create one with \`cms keys generate\` or pass --key <file> (code key_not_found)\n`,
    });
  });
});

describe('cms contracts', () => {
  it('creates, gets and lists a contract through the server', async () => {
    const alice = await loggedIn();
    const bobDid = JSON.parse(
      (await runCli(['keys', 'generate', '--json', '--out', join(alice.configDir, 'bob.json')], {})).stdout,
    ).did as string;

    const created = await alice.json<Contract>([
      'contracts',
      'create',
      '--title',
      'Mutual NDA',
      '--description',
      'Between ACME and Globex',
      '--terms',
      '{"jurisdiction":"DE","durationMonths":24}',
      '--party',
      `${alice.did}:signer`,
      '--party',
      `${bobDid}:approver:2`,
      '--external-id',
      'crm-42',
      '--metadata',
      'team=legal',
      '--metadata',
      'region=eu',
      '--expires-at',
      '2030-01-01T00:00:00Z',
    ]);
    expect(created).toMatchObject({
      title: 'Mutual NDA',
      description: 'Between ACME and Globex',
      terms: { jurisdiction: 'DE', durationMonths: 24 },
      status: 'draft',
      version: 1,
      createdBy: alice.did,
      externalId: 'crm-42',
      metadata: { team: 'legal', region: 'eu' },
      expiresAt: '2030-01-01T00:00:00.000Z',
      parties: [
        { did: alice.did, role: 'signer', name: null, signingOrder: 1 },
        { did: bobDid, role: 'approver', name: null, signingOrder: 2 },
      ],
    });
    expect(created.id).toMatch(UUID);

    expect(await alice.json<Contract>(['contracts', 'get', created.id])).toEqual(created);
    expect(await alice.json(['contracts', 'list'])).toEqual({ data: [created], nextCursor: null });

    const shown = await alice.cms(['contracts', 'get', created.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(
      `id            ${created.id}\ntitle         Mutual NDA\nstatus        draft (version 1)\n`,
    );
    expect(shown.stdout).toContain('metadata      team=legal, region=eu\n');
    expect(shown.stdout).toMatch(new RegExp(`\\n  1      signer    ${alice.did}\\n  2      approver  ${bobDid}\\n$`));

    const table = await alice.cms(['contracts', 'list']);
    expect(table.stdout).toBe(
      `ID${' '.repeat(36)}STATUS  CREATED${' '.repeat(' 2030-01-01T00:00:00.000Z'.length - 'CREATED'.length - 1)}  TITLE\n${created.id}  draft   ${created.createdAt}  Mutual NDA\n`,
    );
  });

  it('pages with --limit/--cursor and follows every cursor with --all', async () => {
    const { json, cms } = await loggedIn();
    const ids: string[] = [];
    for (const title of ['one', 'two', 'three', 'four', 'five'])
      ids.push((await json<Contract>(['contracts', 'create', '--title', title])).id);
    const newestFirst = [...ids].reverse();

    const first = await json<{ data: Contract[]; nextCursor: string | null }>(['contracts', 'list', '--limit', '2']);
    expect(first.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await json<{ data: Contract[]; nextCursor: string | null }>([
      'contracts',
      'list',
      '--limit',
      '2',
      '--cursor',
      first.nextCursor!,
    ]);
    expect(second.data.map((c) => c.id)).toEqual(newestFirst.slice(2, 4));

    const all = await json<Contract[]>(['contracts', 'list', '--all', '--limit', '2']);
    expect(all.map((c) => c.id)).toEqual(newestFirst);
    expect(await json<Contract[]>(['contracts', 'list', '--all', '--status', 'executed'])).toEqual([]);

    const human = await cms(['contracts', 'list', '--limit', '2']);
    expect(human.stdout.endsWith(`\nmore: cms contracts list --limit 2 --cursor ${first.nextCursor}\n`)).toBe(true);
    expect((await cms(['contracts', 'list', '--status', 'executed'])).stdout).toBe('No contracts.\n');
  });

  it('creates from a JSON body on stdin with --file -', async () => {
    const { json, did } = await loggedIn();
    const body = { title: 'Scripted', terms: { n: [1, 2] }, parties: [{ did, role: 'signer', name: 'Alice' }] };
    const created = await json<Contract>(['contracts', 'create', '--file', '-'], { stdin: JSON.stringify(body) });
    expect(created).toMatchObject({
      title: 'Scripted',
      terms: { n: [1, 2] },
      parties: [{ did, role: 'signer', name: 'Alice', signingOrder: 1 }],
    });
  });

  it('reports a server error with title, detail, code and request id, exit 4 for not found', async () => {
    const { cms } = await loggedIn();
    const id = randomUUID();
    const human = await cms(['contracts', 'get', id]);
    expect(human.code).toBe(4);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/^error: The resource does not exist\..* \(code not_found, request \S+\)\n$/);

    const machine = await cms(['contracts', 'get', id, '--json']);
    expect(machine.code).toBe(4);
    expect(machine.stdout).toBe('');
    const problem = JSON.parse(machine.stderr);
    expect(problem).toEqual({
      error: {
        code: 'not_found',
        status: 404,
        title: 'The resource does not exist.',
        detail: expect.any(String),
        message: expect.stringMatching(/^The resource does not exist\./),
        requestId: expect.any(String),
      },
    });
    expect(human.stderr).toContain(`(code not_found, request `);
  });

  it('shows the field errors of a validation failure', async () => {
    const { cms, did } = await loggedIn();
    const result = await cms(['contracts', 'create', '--title', 'Bad order', '--party', `${did}:signer:0`, '--json']);
    expect(result.code).toBe(6);
    const { error } = JSON.parse(result.stderr);
    expect(error).toMatchObject({
      code: 'validation_failed',
      status: 422,
      errors: [expect.objectContaining({ path: expect.stringContaining('signingOrder') })],
    });
    const human = await cms(['contracts', 'create', '--title', 'Bad order', '--party', `${did}:signer:0`]);
    expect(human.stderr).toMatch(/\(code validation_failed, request \S+\)\n {2}\S*signingOrder\S*: /);
  });

  it('tells a user who is not logged in to run cms login', async () => {
    const configDir = await tempDir();
    const result = await runCli(['contracts', 'list', '--server', server.url], { CMS_CONFIG_DIR: configDir });
    expect(result).toEqual({
      code: 3,
      stdout: '',
      stderr: `error: not logged in to ${server.url}; run \`cms login --server ${server.url}\` first (code not_logged_in)\n`,
    });
    const json = await runCli(['contracts', 'get', randomUUID(), '--json'], {
      CMS_CONFIG_DIR: configDir,
      CMS_SERVER: server.url,
    });
    expect(JSON.parse(json.stderr)).toEqual({
      error: {
        code: 'not_logged_in',
        status: null,
        title: null,
        detail: null,
        message: `not logged in to ${server.url}; run \`cms login --server ${server.url}\` first`,
        requestId: null,
      },
    });
  });

  it('says the server is unreachable, not "not logged in", when nothing answers at its address', async () => {
    const closed = await closedPortUrl();
    const configDir = await tempDir();
    const hint =
      'is it running? (`pnpm start` starts one on http://localhost:8080; pick another with --server or CMS_SERVER)';
    for (const args of [['contracts', 'list'], ['whoami'], ['members', 'list']]) {
      expect(await runCli([...args, '--server', closed], { CMS_CONFIG_DIR: configDir })).toEqual({
        code: 7,
        stdout: '',
        stderr: `error: could not reach the CMS server at ${closed}; ${hint} (code connection_error)\n`,
      });
    }
    // Logging in (a key exists) reaches the SDK's transport: the same hint.
    await runCli(['keys', 'generate'], { CMS_CONFIG_DIR: configDir });
    expect(await runCli(['login', '--server', closed], { CMS_CONFIG_DIR: configDir })).toEqual({
      code: 7,
      stdout: '',
      stderr: `error: Could not reach the CMS server at ${closed} (code connection_error)\nhint: ${hint}\n`,
    });
  });

  it('asks to log in again when the token expired or was rejected, without printing it', async () => {
    const { configDir, cms } = await loggedIn();
    const token = await readToken(configDir, server.url);

    await writeToken(configDir, server.url, { ...token, refreshExpiresAt: '2001-01-02T00:00:00.000Z' });
    const expired = await cms(['contracts', 'list']);
    expect(expired.stderr).toBe(
      `error: your session on ${server.url} expired at 2001-01-02T00:00:00.000Z; run \`cms login --server ${server.url}\` again (code session_expired)\n`,
    );
    expect(expired.code).toBe(3);

    const forged = `${token.accessToken.slice(0, -4)}AAAA`;
    await writeToken(configDir, server.url, { ...token, accessToken: forged, refreshToken: undefined });
    const rejected = await cms(['contracts', 'list']);
    expect(rejected.code).toBe(3);
    expect(rejected.stderr).toMatch(/\(code invalid_token, request \S+\)\nhint: run `cms login` to log in again\n$/);
    expect(rejected.stderr).not.toContain(forged);
  });
});

describe('usage', () => {
  it('exits 2 on bad invocations, before contacting the server', async () => {
    const { cms } = await loggedIn();
    expect(await cms(['contracts', 'create'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --title is required (or pass the whole contract with --file)\nhint: run with --help for usage\n',
    });
    expect((await cms(['contracts', 'create', '--title', 't', '--party', 'did:key:z6Mk:boss'])).stderr).toMatch(
      /^error: --party "did:key:z6Mk:boss": expected <did>:<role>\[:<order>\]/,
    );
    expect((await cms(['contracts', 'create', '--title', 't', '--terms', '{}', '--terms-file', 'x.json'])).code).toBe(
      2,
    );
    expect((await cms(['contracts', 'create', '--file', 'x.json', '--title', 't'])).code).toBe(2);
    expect((await cms(['contracts', 'list', '--status', 'signed'])).stderr).toContain(
      "error: option '--status <status>' argument 'signed' is invalid. Allowed choices are draft, pending",
    );
    expect((await cms(['contracts', 'list', '--all', '--cursor', 'c'])).code).toBe(2);
    expect((await cms(['contracts', 'frobnicate'])).code).toBe(2);
    expect(JSON.parse((await cms(['contracts', 'list', '--limit', '0', '--json'])).stderr)).toEqual({
      error: {
        code: 'usage_error',
        status: null,
        title: null,
        detail: null,
        message: "option '--limit <n>' argument '0' is invalid. expected a positive integer",
        requestId: null,
      },
    });
    expect((await cms(['contracts', 'list', '--json'])).code).toBe(0);
    const badServer = await runCli(['contracts', 'list', '--server', 'ftp://example.com'], {});
    expect(badServer).toMatchObject({
      code: 2,
      stderr: 'error: server URL must be http(s): "ftp://example.com"\nhint: run with --help for usage\n',
    });
  });

  it('--help lists the commands; --version prints the version', async () => {
    const help = await runCli(['--help'], {});
    expect(help.code).toBe(0);
    for (const command of ['keys', 'login', 'logout', 'contracts'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(help.stdout).toContain('--server <url>');
    expect(help.stdout).toContain('--json');

    const contracts = await runCli(['contracts', '--help'], {});
    for (const command of ['create', 'get', 'list'])
      expect(contracts.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));

    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await runCli(['--version'], {})).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    expect((await runCli([], {})).code).toBe(2);
  });
});

/** The URL of a loopback port nothing listens on (bound, then released). */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

// The CLI's account commands against a real server: refresh (explicit and automatic), logout on the
// server, whoami, organizations, members, invitations and sessions.

import { sharedTestServer } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readToken, runCli, tempDir, writeToken } from './run-cli.js';

let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  server = await sharedTestServer();
});
afterAll(() => server?.close());

async function user() {
  const configDir = await tempDir();
  const env = { CMS_CONFIG_DIR: configDir };
  const did = JSON.parse((await runCli(['keys', 'generate', '--json'], env)).stdout).did as string;
  expect((await runCli(['login', '--server', server.url], env)).code).toBe(0);
  const cms = (args: string[]) => runCli(['--server', server.url, ...args], env);
  // biome-ignore lint/suspicious/noExplicitAny: parsed CLI output; each test asserts the fields it reads
  const json = async <T = any>(args: string[]): Promise<T> => {
    const result = await cms([...args, '--json']);
    expect(result, result.stderr).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(result.stdout) as T;
  };
  const stored = () => readToken(configDir, server.url);
  return { configDir, did, cms, json, stored };
}

describe('tokens', () => {
  it('refreshes explicitly, saving the new single-use refresh token', async () => {
    const u = await user();
    const before = await u.stored();
    const refreshed = await u.json(['refresh']);
    const after = await u.stored();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    const { did, userId, organizationId, sessionId, roles } = after;
    expect(refreshed).toMatchObject({ server: server.url, did, userId, organizationId, sessionId, roles });
    expect(refreshed).not.toHaveProperty('accessToken');
    expect(JSON.stringify(refreshed)).not.toContain(after.refreshToken);
  });

  it('refreshes an expired access token by itself and keeps working', async () => {
    const u = await u_expired();
    expect((await u.cms(['contracts', 'list'])).code).toBe(0);
    const after = await u.stored();
    expect(after.refreshToken).not.toBe(u.before.refreshToken);
    expect(after.accessToken).not.toBe(u.before.accessToken);
    // The old refresh token is used up: the stored one is the only one that works.
    expect((await u.cms(['refresh'])).code).toBe(0);
  });

  it('logout ends the session on the server, not just locally', async () => {
    const u = await user();
    const { accessToken } = await u.stored();
    expect((await u.cms(['logout'])).stdout).toBe(`Logged out of ${server.url}\n`);
    const res = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.status).toBe(401);
  });
});

async function u_expired() {
  const u = await user();
  const before = await u.stored();
  // A token the server rejects as invalid, as an expired one is: the CLI refreshes and retries.
  await writeToken(u.configDir, server.url, { ...before, accessToken: `${before.accessToken.slice(0, -4)}AAAA` });
  return { ...u, before };
}

describe('organizations, members and invitations', () => {
  it('runs an organization from the shell: create, invite, accept, switch, change role, remove', async () => {
    const alice = await user();
    const bob = await user();

    const org = await alice.json(['organizations', 'create', 'ACME', '--switch']);
    expect(org).toMatchObject({ name: 'ACME', role: 'owner' });
    expect(await alice.json(['whoami'])).toMatchObject({ did: alice.did, organizationId: org.id, roles: ['owner'] });
    const whoami = await alice.cms(['whoami']);
    expect(whoami.stdout).toContain(`did           ${alice.did}\n`);
    expect(whoami.stdout).toMatch(new RegExp(`${org.id} \\*\\s+owner\\s+ACME`));

    const invitation = await alice.json(['invitations', 'create', bob.did, '--role', 'member']);
    expect(invitation).toMatchObject({ did: bob.did, role: 'member', status: 'pending' });
    expect((await bob.json(['invitations', 'mine'])).map((i: { id: string }) => i.id)).toEqual([invitation.id]);
    expect((await bob.cms(['invitations', 'accept', invitation.id, '--switch'])).stdout).toBe(
      `Joined ACME (${org.id}) as member; switched to it\n`,
    );
    expect((await bob.stored()).organizationId).toBe(org.id);

    const members = await alice.json<{ userId: string; role: string; dids: string[] }[]>(['members', 'list']);
    const bobMember = members.find((m) => m.dids.includes(bob.did))!;
    expect(bobMember.role).toBe('member');
    expect((await alice.cms(['members', 'set-role', bobMember.userId, '--role', 'admin'])).stdout).toBe(
      `${bobMember.userId} is now admin\n`,
    );
    // Bob's next command is refused once (roles changed), refreshed, and retried as admin.
    expect(await bob.json(['whoami'])).toMatchObject({ organizationId: org.id, roles: ['admin'] });

    await alice.json(['members', 'remove', bobMember.userId]);
    const afterRemoval = await bob.cms(['members', 'list']);
    expect(afterRemoval.code).toBe(3);
    expect(afterRemoval.stderr).toMatch(/code invalid_token/);
    expect((await bob.cms(['whoami'])).stderr).toMatch(/^error: not logged in/);
  });

  it('registers a service account that logs in with its own key file into the organization', async () => {
    const admin = await user();
    const botDir = await tempDir();
    const bot = JSON.parse((await runCli(['keys', 'generate', '--json'], { CMS_CONFIG_DIR: botDir })).stdout) as {
      did: string;
    };
    const account = await admin.json([
      'service-accounts',
      'create',
      bot.did,
      '--name',
      'nightly import',
      '--role',
      'member',
    ]);
    expect(account).toMatchObject({ did: bot.did, name: 'nightly import', role: 'member' });
    expect((await admin.json(['service-accounts', 'list'])).map((a: { userId: string }) => a.userId)).toEqual([
      account.userId,
    ]);
    const login = await runCli(['login', '--server', server.url, '--json'], { CMS_CONFIG_DIR: botDir });
    expect(JSON.parse(login.stdout)).toMatchObject({
      userId: account.userId,
      organizationId: (await admin.stored()).organizationId,
      roles: ['member'],
    });
  });

  it('lists and revokes sessions', async () => {
    const u = await user();
    const sessions = await u.json<{ id: string; current: boolean }[]>(['sessions', 'list']);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect((await u.cms(['sessions', 'revoke', sessions[0]!.id])).code).toBe(0);
  });

  it('requires --role with a valid choice', async () => {
    const u = await user();
    const result = await u.cms([
      'invitations',
      'create',
      'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      '--role',
      'boss',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "argument 'boss' is invalid. Allowed choices are owner, admin, member, auditor, viewer",
    );
  });
});

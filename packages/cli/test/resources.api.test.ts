// The resource commands against a real server: a contract's whole life from the shell (create from a
// template with --var/--vars, send, sign, history, terminate), list filters, events and completion.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Contract } from '@cms/sdk';
import { sharedTestServer } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  server = await sharedTestServer();
});
afterAll(() => server?.close());

async function user() {
  const configDir = await tempDir();
  const env = { CMS_CONFIG_DIR: configDir, CMS_SERVER: server.url };
  const { did } = JSON.parse((await runCli(['keys', 'generate', '--json'], env)).stdout) as { did: string };
  expect((await runCli(['login'], env)).code).toBe(0);
  const cms = (args: string[]) => runCli(args, env);
  // biome-ignore lint/suspicious/noExplicitAny: parsed CLI output
  const json = async <T = any>(args: string[]): Promise<T> => {
    const r = await cms([...args, '--json']);
    expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(r.stdout) as T;
  };
  return { configDir, env, did, cms, json };
}

describe('contract lifecycle from the shell', () => {
  it('creates from a template, sends, signs, shows history, voids; list filters; events', async () => {
    const u = await user();
    const starters = await u.json<{ name: string; id: string }[]>(['templates', 'import-starters']);
    const nda = starters.find((s) => s.name === 'Mutual NDA')!;
    const vars = join(u.configDir, 'vars.json');
    await writeFile(vars, JSON.stringify({ effectiveDate: '2030-01-01', purpose: 'overwritten' }));
    const other = JSON.parse(
      (await runCli(['keys', 'generate', '--json', '--out', join(u.configDir, 'b.json')], {})).stdout,
    );
    const created = await u.json<Contract>([
      'contracts',
      'create',
      '--template',
      nda.id,
      '--vars',
      vars,
      '--var',
      'purpose=evaluating a merger',
      '--role',
      `PartyA=${u.did},ACME`,
      '--role',
      `PartyB=${other.did},Globex`,
      '--external-id',
      'nda-7',
    ]);
    expect(created).toMatchObject({ status: 'draft', externalId: 'nda-7' });
    expect(created.body).toContain('between **ACME** and **Globex**');
    expect(created.body).toContain('evaluating a merger');

    const following = u.cms([
      'events',
      '--follow',
      '--count',
      '2',
      '--jsonl',
      '--contract',
      created.id,
      '--type',
      'contract.sent',
      '--type',
      'contract.signed',
    ]);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await u.json<Contract>(['contracts', 'send', created.id])).status).toBe('pending');
    expect((await u.json<Contract>(['contracts', 'sign', created.id])).status).toBe('partially_signed');
    // Signing twice is a conflict: exit status 5.
    const signedTwice = await u.cms(['contracts', 'sign', created.id]);
    expect(signedTwice.code).toBe(5);

    const history = await u.json<{ data: { action: string }[] }>(['contracts', 'history', created.id]);
    expect(history.data.map((t) => t.action)).toEqual(['create', 'send', 'sign']);
    expect((await u.cms(['contracts', 'history', created.id])).stdout).toMatch(/^SEQ\s+AT\s+ACTION/);

    const draft = await u.json<Contract>(['contracts', 'create', '--title', 'Lease for the Berlin office']);
    const voided = await u.json<Contract>(['contracts', 'void', draft.id, '--reason', 'typo']);
    expect(voided.status).toBe('voided');
    expect((await u.cms(['contracts', 'void', draft.id])).code).toBe(2); // --reason is required
    expect((await u.cms(['contracts', 'void', draft.id, '--reason', 'again'])).code).toBe(5);

    const byQuery = await u.json<Contract[]>(['contracts', 'list', '--query', 'berlin', '--all']);
    expect(byQuery.map((c) => c.id)).toEqual([draft.id]);
    const byExternal = await u.json<{ data: Contract[] }>(['contracts', 'list', '--external-id', 'nda-7']);
    expect(byExternal.data.map((c) => c.id)).toEqual([created.id]);
    const byParty = await u.json<Contract[]>(['contracts', 'list', '--party', other.did, '--all']);
    expect(byParty.map((c) => c.id)).toEqual([created.id]);
    expect(await u.json<Contract[]>(['contracts', 'list', '--created-after', '2100-01-01T00:00:00Z', '--all'])).toEqual(
      [],
    );

    const events = await following;
    expect(events.code, events.stderr).toBe(0);
    const received = events.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; type: string });
    expect(received.map((e) => e.type)).toEqual(['contract.sent', 'contract.signed']);
    // Resumable: after the first event, the second comes again; --resume-file keeps the last id.
    const resume = join(u.configDir, 'events.last');
    await writeFile(resume, `${received[0]!.id}\n`);
    const resumed = await u.cms([
      'events',
      '--resume-file',
      resume,
      '--count',
      '1',
      '--jsonl',
      '--contract',
      created.id,
      '--type',
      'contract.signed',
    ]);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ id: received[1]!.id, type: 'contract.signed' });
    expect(await readFile(resume, 'utf8')).toBe(`${received[1]!.id}\n`);
  });

  it('prints completion scripts for bash, zsh and fish from the command tree', async () => {
    const bash = await runCli(['completion', 'bash'], {});
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -o default -F _cms cms');
    const contracts = /"contracts"\) words="([^"]*)"/.exec(bash.stdout)?.[1]?.split(' ');
    expect(contracts).toEqual(expect.arrayContaining(['create', 'sign', 'terminate', 'history', '--profile']));
    expect(bash.stdout).toMatch(/"bulk"\) words="create send sign void/);
    expect(bash.stdout).toMatch(
      /"webhooks"\) words="list create get update delete rotate-secret test deliveries delivery retry replay /,
    );
    expect(bash.stdout).toMatch(/"audit"\) words="events verify export /);
    expect(bash.stdout).toMatch(/"keys"\) words="generate import did list export-public /);
    expect(bash.stdout).toMatch(/"audit export"\) words="[^"]*--verify/);
    expect((await runCli(['completion', 'zsh'], {})).stdout).toMatch(/^#compdef cms/);
    expect((await runCli(['completion', 'fish'], {})).stdout).toContain("-a 'bulk'");
    expect((await runCli(['completion', 'tcsh'], {})).code).toBe(2);
  });

  it('every command has --help with an example', async () => {
    const { createProgram } = await import('../src/index.js');
    const program = createProgram({ stdout: () => {}, stderr: () => {}, env: {}, readStdin: async () => '' });
    const missing: string[] = [];
    const visit = (command: typeof program, path: string[]) => {
      for (const sub of command.commands) {
        const p = [...path, sub.name()];
        if (sub.commands.length) visit(sub, p);
        let help = '';
        sub.configureOutput({ writeOut: (t) => void (help += t) });
        sub.outputHelp();
        if (!/Examples?:\n {2}\S/.test(help)) missing.push(p.join(' '));
      }
    };
    visit(program, []);
    expect(missing).toEqual([]);
  });
});

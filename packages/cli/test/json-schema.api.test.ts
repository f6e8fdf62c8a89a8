// `--json` output of the commands that print API objects validates against the response schemas of
// openapi/cms.yaml (ajv, JSON Schema 2020-12): the CLI adds nothing to and takes nothing from them.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { samplePdf, startTestServer, testEnclave } from '@cms/server/testing';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createProgram } from '../src/program.js';
import { runCli, tempDir } from './run-cli.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const specPath = fileURLToPath(new URL('../../../openapi/cms.yaml', import.meta.url));

let server: { url: string; close(): Promise<void> };
// biome-ignore lint/suspicious/noExplicitAny: the parsed OpenAPI document
let spec: any;
let ajv: Ajv2020;
let operatorDir: string;
beforeAll(async () => {
  // An operator's key, named in CMS_OPERATOR_DIDS, for `cms admin`.
  operatorDir = await tempDir();
  const operator = JSON.parse((await runCli(['keys', 'generate', '--json'], { CMS_CONFIG_DIR: operatorDir })).stdout);
  // With an enclave: uploads need data keys, webhook secrets are sealed by its keys.
  server = await startTestServer({ enclave: testEnclave(), operatorDids: [operator.did] });
  spec = parse(await readFile(specPath, 'utf8'));
  ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(spec, 'cms');
});
afterAll(() => server?.close());

/**
 * Leaf commands whose `--json` is not an API object, and why. Every other command must be run by the
 * test below (it fails naming any command added without a schema check).
 */
const NOT_API_OBJECTS: Record<string, string> = {
  init: 'interactive set-up: the profile it wrote',
  'config get': 'local settings',
  'config set': 'local settings',
  'config unset': 'local settings',
  'config list': 'local settings',
  'config profiles': 'local settings',
  'keys generate': 'a local key file',
  'keys import': 'a local key file',
  'keys did': 'a local key file',
  'keys list': 'local key files',
  'keys export-public': 'a local key file',
  login: 'the session it stored (tokens are never printed)',
  refresh: 'the session it stored (tokens are never printed)',
  logout: 'the session it removed',
  'organizations switch': 'the session it stored: organizationId and roles of the new token',
  'members remove': 'the API answers 204: the CLI prints { userId, removed: true }',
  'invitations revoke': 'the API answers 204: the CLI prints { id, revoked: true }',
  'sessions revoke': 'the API answers 204: the CLI prints { id, revoked: true }',
  'webhooks delete': 'the API answers 204: the CLI prints { id, deleted: true }',
  'contracts document': 'the bytes are the API answer: the CLI prints { sha256, size, out }',
  'contracts pdf': 'the bytes are the API answer: the CLI prints { out, size }',
  'files download': 'the bytes are the API answer: the CLI prints { sha256, size, out }',
  'templates import-starters': 'one { name, id, version, imported } per starter template (docs/cli.md)',
  verify: "the SDK's EvidenceVerification, computed locally (tested in verify.api.test.ts)",
  'bulk create': 'the bulk report (docs/cli.md; tested in bulk.api.test.ts)',
  'bulk send': 'the bulk report (docs/cli.md; tested in bulk.api.test.ts)',
  'bulk sign': 'the bulk report (docs/cli.md; tested in bulk.api.test.ts)',
  'bulk void': 'the bulk report (docs/cli.md; tested in bulk.api.test.ts)',
  completion: 'a shell script',
  'enclave verify': "the SDK's verified attestation, checked here (tested in enclave.api.test.ts)",
};

/** Every leaf command of the program, as its words (`contracts list`). */
function leafCommands(): string[] {
  const out: string[] = [];
  const walk = (c: { name(): string; commands: readonly unknown[] }, path: string[]) => {
    if (!c.commands.length && path.length) out.push(path.join(' '));
    for (const sub of c.commands as { name(): string; commands: readonly unknown[] }[])
      walk(sub, [...path, sub.name()]);
  };
  walk(createProgram({} as never), []);
  return out.sort();
}

/** The leaf command `args` run: the longest run of leading words that names one. */
function commandOf(args: string[]): string {
  const leaves = new Set(leafCommands());
  for (let n = args.length; n > 0; n--) if (leaves.has(args.slice(0, n).join(' '))) return args.slice(0, n).join(' ');
  throw new Error(`no command in ${args.join(' ')}`);
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The JSON pointer (in `cms`) of an operation's response schema. */
function responseRef(path: string, method: string, status: string): string {
  const op = spec.paths[path]?.[method];
  if (!op?.responses?.[status]) throw new Error(`no ${status} response for ${method} ${path}`);
  return `cms#/${pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')}`;
}

/** `value` against the response schema; an array (the SDK's unwrapped list, or --all) against its `data` items. */
function check(value: unknown, path: string, method: string, expected?: string): void {
  const status =
    expected ?? Object.keys(spec.paths[path]?.[method]?.responses ?? {}).find((s) => /^2\d\d$/.test(s)) ?? '200';
  let ref = responseRef(path, method, status);
  if (Array.isArray(value)) {
    // biome-ignore lint/suspicious/noExplicitAny: schema walking
    let schema: any = spec.paths[path][method].responses[status].content['application/json'].schema;
    if (schema.$ref) {
      ref = `cms${schema.$ref}`;
      schema = schema.$ref
        .slice(2)
        .split('/')
        .reduce((o: Record<string, unknown>, k: string) => o[k], spec);
    }
    if (schema.type !== 'array') ref = `${ref}/properties/data`;
  }
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  const ok = validate(value);
  expect(validate.errors ?? [], `${method.toUpperCase()} ${path}`).toEqual([]);
  expect(ok).toBe(true);
}

/** `value` against a component schema, e.g. `AuditExportLine`. */
function checkComponent(value: unknown, name: string): void {
  const ref = `cms#/components/schemas/${name}`;
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  const ok = validate(value);
  expect(validate.errors ?? [], name).toEqual([]);
  expect(ok).toBe(true);
}

describe('--json output matches the spec', () => {
  it('for every command that prints API objects', { timeout: 120_000 }, async () => {
    const configDir = await tempDir();
    const env = { CMS_CONFIG_DIR: configDir, CMS_SERVER: server.url };
    const { did } = JSON.parse((await runCli(['keys', 'generate', '--json'], env)).stdout);
    await runCli(['login'], env);
    const ran = new Set<string>();
    // biome-ignore lint/suspicious/noExplicitAny: parsed CLI output
    const json = async (...args: string[]): Promise<any> => runJson(env, ...args);
    // biome-ignore lint/suspicious/noExplicitAny: parsed CLI output
    const runJson = async (as: Record<string, string>, ...args: string[]): Promise<any> => {
      ran.add(commandOf(args));
      const r = await runCli([...args, '--json'], as);
      expect(r, `${args.join(' ')}: ${r.stderr}`).toMatchObject({ code: 0, stderr: '' });
      return JSON.parse(r.stdout);
    };
    const other = JSON.parse(
      (await runCli(['keys', 'generate', '--json', '--out', join(configDir, 'other.json')], {})).stdout,
    );

    const robot = JSON.parse(
      (await runCli(['keys', 'generate', '--json', '--out', join(configDir, 'robot.json')], {})).stdout,
    );
    check(await json('whoami'), '/v1/me', 'get');
    check(await json('organizations', 'list'), '/v1/organizations', 'get');
    const org = await json('organizations', 'create', 'Schema Co');
    check(org, '/v1/organizations', 'post', '201');
    check(await json('members', 'list'), '/v1/organizations/{organizationId}/members', 'get');
    check(
      await json('invitations', 'create', other.did, '--role', 'member'),
      '/v1/organizations/{organizationId}/invitations',
      'post',
      '201',
    );
    check(await json('invitations', 'list'), '/v1/organizations/{organizationId}/invitations', 'get');
    // The invited key accepts in its own profile; then the owner changes its role.
    const otherEnv = { CMS_CONFIG_DIR: await tempDir(), CMS_SERVER: server.url };
    expect((await runCli(['keys', 'import', join(configDir, 'other.json')], otherEnv)).code).toBe(0);
    expect((await runCli(['login'], otherEnv)).code).toBe(0);
    const [invitation] = await runJson(otherEnv, 'invitations', 'mine');
    check(
      await runJson(otherEnv, 'invitations', 'accept', invitation.id),
      '/v1/invitations/{invitationId}/accept',
      'post',
    );
    const members: { dids: string[]; userId: string }[] = await json('members', 'list');
    const invited = members.find((m) => m.dids.includes(other.did));
    expect(invited, 'the invited member').toBeDefined();
    check(
      await json('members', 'set-role', invited!.userId, '--role', 'auditor'),
      '/v1/organizations/{organizationId}/members/{userId}',
      'patch',
    );
    check(await json('invitations', 'mine'), '/v1/invitations', 'get');
    check(
      await json('service-accounts', 'create', robot.did, '--name', 'ci', '--role', 'member'),
      '/v1/organizations/{organizationId}/service-accounts',
      'post',
      '201',
    );
    check(await json('service-accounts', 'list'), '/v1/organizations/{organizationId}/service-accounts', 'get');
    check(await json('sessions', 'list'), '/v1/auth/sessions', 'get');

    const contract = await json('contracts', 'create', '--title', 'Schema', '--party', `${did}:signer`);
    check(contract, '/v1/contracts', 'post', '201');
    check(await json('contracts', 'get', contract.id), '/v1/contracts/{contractId}', 'get');
    check(await json('contracts', 'list'), '/v1/contracts', 'get');
    check(await json('contracts', 'list', '--all'), '/v1/contracts', 'get');
    // The live stream prints ContractEvents, one JSON a line.
    const following = runCli(['events', '--follow', '--count', '2', '--jsonl', '--contract', contract.id], env);
    await new Promise((r) => setTimeout(r, 1000));
    check(await json('contracts', 'send', contract.id), '/v1/contracts/{contractId}/send', 'post');
    check(await json('contracts', 'sign', contract.id), '/v1/contracts/{contractId}/signatures', 'post');
    const streamed = await following;
    ran.add('events');
    expect(streamed.code, streamed.stderr).toBe(0);
    const streamedEvents = streamed.stdout.trimEnd().split('\n');
    expect(streamedEvents).toHaveLength(2);
    for (const line of streamedEvents) checkComponent(JSON.parse(line), 'ContractEvent');
    check(await json('contracts', 'history', contract.id), '/v1/contracts/{contractId}/history', 'get');
    check(await json('contracts', 'evidence', contract.id), '/v1/contracts/{contractId}/evidence', 'get');
    check(
      await json('contracts', 'terminate', contract.id, '--reason', 'done'),
      '/v1/contracts/{contractId}/terminate',
      'post',
    );
    const declined = await json('contracts', 'create', '--title', 'Decline me', '--party', `${did}:signer`);
    await json('contracts', 'send', declined.id);
    check(
      await json('contracts', 'decline', declined.id, '--reason', 'no'),
      '/v1/contracts/{contractId}/decline',
      'post',
    );
    const draft = await json('contracts', 'create', '--title', 'Void me');
    check(await json('contracts', 'void', draft.id, '--reason', 'x'), '/v1/contracts/{contractId}/void', 'post');
    const pdf = join(configDir, 'schema.pdf');
    await writeFile(pdf, await samplePdf('Schema'));
    const file = await json('files', 'upload', pdf, '--media-type', 'application/pdf');
    check(file, '/v1/files', 'post', '201');
    check(await json('files', 'upload', pdf), '/v1/files', 'post', '200');
    const withDocuments = join(configDir, 'with-documents.json');
    await writeFile(
      withDocuments,
      JSON.stringify({ title: 'With a document', documents: [{ name: 'schema.pdf', sha256: file.sha256 }] }),
    );
    check(await json('contracts', 'create', '--file', withDocuments), '/v1/contracts', 'post', '201');
    // (files download / contracts document print the CLI's own { sha256, size, out }: the bytes are the API's answer.)
    check(await json('templates', 'list'), '/v1/templates', 'get');
    // A template from YAML: create, edit, publish, read its versions, preview, archive.
    const templateFile = join(configDir, 'template.yaml');
    await writeFile(
      templateFile,
      [
        'name: Schema NDA',
        'body: "NDA for {{months}} months with {{roles.Recipient.name}}"',
        'variables:',
        '  type: object',
        '  required: [months]',
        '  properties:',
        '    months: { type: integer, minimum: 1 }',
        'roles:',
        '  - { key: Recipient, label: Receiving party, signingOrder: 1 }',
        '',
      ].join('\n'),
    );
    const template = await json('templates', 'create', '--file', templateFile);
    check(template, '/v1/templates', 'post', '201');
    check(await json('templates', 'get', template.id), '/v1/templates/{templateId}', 'get');
    const changes = join(configDir, 'changes.json');
    await writeFile(changes, JSON.stringify({ tags: ['schema'] }));
    const edited = await json(
      'templates',
      'update',
      template.id,
      '--file',
      changes,
      '--if-match',
      String(template.revision),
    );
    expect(edited.tags).toEqual(['schema']);
    check(edited, '/v1/templates/{templateId}', 'patch');
    const published = await json('templates', 'publish', template.id);
    check(published, '/v1/templates/{templateId}/publish', 'post');
    check(await json('templates', 'versions', template.id), '/v1/templates/{templateId}/versions', 'get');
    check(await json('templates', 'version', template.id, '1'), '/v1/templates/{templateId}/versions/{version}', 'get');
    const preview = await json(
      'templates',
      'preview',
      template.id,
      '--var',
      'months=12',
      '--role',
      `Recipient=${did},Bob`,
    );
    expect(preview.body).toBe('NDA for 12 months with Bob');
    check(preview, '/v1/templates/{templateId}/preview', 'post');
    check(await json('templates', 'archive', template.id), '/v1/templates/{templateId}/archive', 'post');
    check(await json('ledger', 'status'), '/v1/ledger/status', 'get');
    // A contract's change is anchored; its audit event has a proof (pending or confirmed).
    const audited: { id: string; resource: { type: string; id: string } }[] = await json('audit', 'events', '--all');
    const creation = audited.find((e) => e.resource.type === 'contract' && e.resource.id === contract.id);
    expect(creation, 'the contract creation audit event').toBeDefined();
    check(await json('ledger', 'proof', creation!.id), '/v1/ledger/events/{auditEventId}', 'get');
    check(await json('enclave', 'info'), '/v1/enclave', 'get');
    check(await json('enclave', 'attestation'), '/v1/enclave/attestation', 'get');
    const operatorEnv = { CMS_CONFIG_DIR: operatorDir, CMS_SERVER: server.url };
    expect((await runCli(['login'], operatorEnv)).code).toBe(0);
    check(await runJson(operatorEnv, 'admin', 'organizations', 'list'), '/v1/admin/organizations', 'get');
    check(await runJson(operatorEnv, 'admin', 'organizations', 'list', '--all'), '/v1/admin/organizations', 'get');

    // Webhooks (the URL is never resolved at creation; its deliveries just fail).
    const hook = await json(
      'webhooks',
      'create',
      '--url',
      'https://hooks.example.invalid/cms',
      '--event-type',
      'contract.signed',
    );
    check(hook, '/v1/webhooks', 'post', '201');
    check(await json('webhooks', 'list'), '/v1/webhooks', 'get');
    check(await json('webhooks', 'get', hook.id), '/v1/webhooks/{webhookId}', 'get');
    check(await json('webhooks', 'update', hook.id, '--disable'), '/v1/webhooks/{webhookId}', 'patch');
    check(await json('webhooks', 'rotate-secret', hook.id), '/v1/webhooks/{webhookId}/secrets', 'post');
    const ping = await json('webhooks', 'test', hook.id);
    check(ping, '/v1/webhooks/{webhookId}/test', 'post');
    check(await json('webhooks', 'deliveries', hook.id), '/v1/webhooks/{webhookId}/deliveries', 'get');
    check(await json('webhooks', 'deliveries', hook.id, '--all'), '/v1/webhooks/{webhookId}/deliveries', 'get');
    check(
      await json('webhooks', 'delivery', hook.id, ping.id),
      '/v1/webhooks/{webhookId}/deliveries/{deliveryId}',
      'get',
    );
    check(
      await json('webhooks', 'retry', hook.id, ping.id),
      '/v1/webhooks/{webhookId}/deliveries/{deliveryId}/retry',
      'post',
    );
    check(
      await json('webhooks', 'replay', hook.id, '--from', '2026-01-01T00:00:00Z', '--to', '2099-01-01T00:00:00Z'),
      '/v1/webhooks/{webhookId}/replay',
      'post',
    );

    // Audit: events (a page and --all), the server's verification, and every line of an export.
    check(await json('audit', 'events'), '/v1/audit/events', 'get');
    check(await json('audit', 'events', '--all'), '/v1/audit/events', 'get');
    check(await json('audit', 'verify'), '/v1/audit/verify', 'get');
    const exported = await runCli(['audit', 'export'], env);
    ran.add('audit export');
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const line of lines.slice(0, -1)) checkComponent(line, 'AuditExportLine');
    checkComponent(lines.at(-1), 'AuditExportTrailer');

    // Every leaf command is either checked above or printed something that is not an API object.
    const unchecked = leafCommands().filter((c) => !ran.has(c) && !(c in NOT_API_OBJECTS));
    expect(unchecked, 'commands whose --json output no schema checks').toEqual([]);
    expect(Object.keys(NOT_API_OBJECTS).filter((c) => !leafCommands().includes(c))).toEqual([]);
  });
});

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
import { runCli, tempDir } from './run-cli.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const specPath = fileURLToPath(new URL('../../../openapi/cms.yaml', import.meta.url));

let server: { url: string; close(): Promise<void> };
// biome-ignore lint/suspicious/noExplicitAny: the parsed OpenAPI document
let spec: any;
let ajv: Ajv2020;
beforeAll(async () => {
  // With an enclave: uploads need data keys, webhook secrets are sealed by its keys.
  server = await startTestServer({ enclave: testEnclave() });
  spec = parse(await readFile(specPath, 'utf8'));
  ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(spec, 'cms');
});
afterAll(() => server?.close());

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
    // biome-ignore lint/suspicious/noExplicitAny: parsed CLI output
    const json = async (...args: string[]): Promise<any> => {
      const r = await runCli([...args, '--json'], env);
      expect(r, `${args.join(' ')}: ${r.stderr}`).toMatchObject({ code: 0, stderr: '' });
      return JSON.parse(r.stdout);
    };
    const other = JSON.parse(
      (await runCli(['keys', 'generate', '--json', '--out', join(configDir, 'other.json')], {})).stdout,
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
    check(await json('invitations', 'mine'), '/v1/invitations', 'get');
    check(
      await json('service-accounts', 'create', other.did, '--name', 'ci', '--role', 'member'),
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
    check(await json('contracts', 'send', contract.id), '/v1/contracts/{contractId}/send', 'post');
    check(await json('contracts', 'sign', contract.id), '/v1/contracts/{contractId}/signatures', 'post');
    check(await json('contracts', 'history', contract.id), '/v1/contracts/{contractId}/history', 'get');
    check(await json('contracts', 'evidence', contract.id), '/v1/contracts/{contractId}/evidence', 'get');
    check(
      await json('contracts', 'terminate', contract.id, '--reason', 'done'),
      '/v1/contracts/{contractId}/terminate',
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
    check(await json('ledger', 'status'), '/v1/ledger/status', 'get');

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
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const line of lines.slice(0, -1)) checkComponent(line, 'AuditExportLine');
    checkComponent(lines.at(-1), 'AuditExportTrailer');
    // (enclave info/attestation are not checked here.)
  });
});

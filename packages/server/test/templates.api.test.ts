// Templates through the HTTP API: drafts, immutable versions, preview, contracts created from a
// version (variables validated, roles filled, body rendered and bound), and what is refused.
import {
  computeContentHash,
  computeTemplateVersionHash,
  sha256Hex,
  type TemplateCreate,
  verifyEvidence,
} from '@cms/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;
let owner: Awaited<ReturnType<typeof loggedInClient>>;
let client: Awaited<ReturnType<typeof loggedInClient>>;
let provider: Awaited<ReturnType<typeof loggedInClient>>;

const services: TemplateCreate = {
  name: 'Services agreement',
  tags: ['services'],
  body: [
    '# Services agreement',
    '',
    '{{roles.Provider.name}} provides {{service}} to {{roles.Client.name}} ({{roles.Client.did}}) for {{fee}} {{currency}} a month, from {{startDate}}.',
    '{{#deliverables}}',
    '- {{name}}, due {{due}}',
    '{{/deliverables}}',
    '{{^deliverables}}No deliverables.{{/deliverables}}',
    'Contact: {{email}}',
  ].join('\n'),
  variables: {
    type: 'object',
    required: ['service', 'fee', 'startDate', 'email'],
    properties: {
      service: { type: 'string', minLength: 1, maxLength: 40, description: 'What is provided' },
      fee: { type: 'number', minimum: 0 },
      currency: { type: 'string', enum: ['EUR', 'USD'], default: 'EUR' },
      startDate: { type: 'string', format: 'date' },
      email: { type: 'string', format: 'email' },
      deliverables: {
        type: 'array',
        maxItems: 20,
        items: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, due: { type: 'string' } },
        },
      },
    },
  },
  roles: [
    { key: 'Client', label: 'The client', signingOrder: 1 },
    { key: 'Provider', label: 'The provider', signingOrder: 2 },
  ],
  terms: { jurisdiction: 'DE' },
};
const good = {
  service: 'Hosting',
  fee: 1200,
  startDate: '2030-01-01',
  email: 'ops@example.com',
  deliverables: [{ name: 'Setup', due: 'March' }],
};

beforeAll(async () => {
  server = await sharedTestServer();
  [owner, client, provider] = await Promise.all([
    loggedInClient(server.url),
    loggedInClient(server.url),
    loggedInClient(server.url),
  ]);
});
afterAll(() => server?.close());

async function published(input: TemplateCreate = services) {
  const t = await owner.client.templates.create(input);
  await owner.client.templates.publish(t.id);
  return t;
}
const parties = () => ({
  Client: { did: client.key.did, name: 'Globex & Co' },
  Provider: { did: provider.key.did, name: 'ACME' },
});

describe('templates', () => {
  it('creates a draft, publishes immutable versions and keeps every version readable', async () => {
    const t = await owner.client.templates.create(services);
    expect(t).toMatchObject({
      name: 'Services agreement',
      status: 'draft',
      revision: 1,
      latestVersion: null,
      draftPublished: false,
      tags: ['services'],
    });
    expect(t.draft.variables.additionalProperties).toBe(false);
    expect(t.draft.roles[0]).toEqual({
      key: 'Client',
      label: 'The client',
      description: null,
      partyRole: 'signer',
      signingOrder: 1,
      did: null,
      name: null,
    });
    expect(t.draftHash).toBe(await computeTemplateVersionHash(t.draft));

    const v1 = await owner.client.templates.publish(t.id, { ifMatch: 1 });
    expect(v1).toMatchObject({ templateId: t.id, version: 1, hash: t.draftHash, publishedBy: owner.key.did });
    const edited = await owner.client.templates.update(t.id, { body: `${services.body}\nSigned in Berlin.` });
    expect(edited).toMatchObject({ status: 'published', latestVersion: 1, draftPublished: false });
    const v2 = await owner.client.templates.publish(t.id);
    expect(v2.version).toBe(2);
    expect(v2.hash).not.toBe(v1.hash);
    expect(await owner.client.templates.version(t.id, 1)).toEqual(v1);
    expect((await owner.client.templates.versions(t.id)).data.map((v) => v.version)).toEqual([2, 1]);
    expect((await owner.client.templates.get(t.id)).draftPublished).toBe(true);

    const stale = await request(server.url, 'PATCH', `/v1/templates/${t.id}`, {
      token: owner.client.auth.accessToken,
      body: { name: 'x' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.json.code).toBe('precondition_failed');
  });

  it('previews without writing, with defaults filled in and unfilled roles marked', async () => {
    const t = await published();
    const preview = await owner.client.templates.preview(t.id, {
      variables: { ...good, deliverables: [] },
      parties: { Client: { did: client.key.did, name: 'Globex' } },
    });
    expect(preview.variables.currency).toBe('EUR');
    expect(preview.version).toBe(1);
    // The placeholder is text like any value: escaped, so Markdown shows "[Provider]".
    expect(preview.body).toContain('\\[Provider\\] provides Hosting to Globex');
    expect(preview.body).toContain('No deliverables.');
    expect(preview.bodySha256).toBe(await sha256Hex(preview.body));
    expect((await owner.client.templates.get(t.id)).revision).toBe(2);
  });

  it('creates a contract from the latest version: parties from roles, body rendered and bound into the content hash', async () => {
    const t = await published();
    const contract = await owner.client.contracts.createFromTemplate({
      template: { id: t.id, variables: good },
      parties: parties(),
    });
    expect(contract.title).toBe('Services agreement');
    expect(contract.terms).toEqual({ jurisdiction: 'DE' });
    expect(contract.parties.map((p) => [p.did, p.name, p.signingOrder])).toEqual([
      [client.key.did, 'Globex & Co', 1],
      [provider.key.did, 'ACME', 2],
    ]);
    expect(contract.body).toBe(
      [
        '# Services agreement',
        '',
        `ACME provides Hosting to Globex &amp; Co (${client.key.did}) for 1200 EUR a month, from 2030-01-01.`,
        '- Setup, due March',
        // The inverted section shares its line with text, so the line stays (empty).
        '',
        'Contact: ops@example.com',
      ].join('\n'),
    );
    const version = await owner.client.templates.version(t.id, 1);
    expect(contract.template).toEqual({
      id: t.id,
      version: 1,
      hash: version.hash,
      variables: { ...good, currency: 'EUR' },
      roles: { Client: client.key.did, Provider: provider.key.did },
      bodySha256: await sha256Hex(contract.body!),
    });
    expect(await computeContentHash(contract)).toBe(contract.contentHash);
    const bundle = await owner.client.contracts.evidence(contract.id);
    expect(bundle.template).toMatchObject({ id: t.id, version: 1, hash: version.hash, renderedBody: contract.body });
    const verified = await verifyEvidence(bundle);
    expect(verified.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verified.checks.map((c) => c.check)).toEqual(expect.arrayContaining(['template.version', 'template.body']));

    const list = await owner.client.contracts.list({ limit: 5 });
    expect(list.data.find((c) => c.id === contract.id)?.body).toBeUndefined();
  });

  it('refuses bad variables naming each one', async () => {
    const t = await published();
    const res = await request(server.url, 'POST', '/v1/contracts', {
      token: owner.client.auth.accessToken,
      body: {
        template: {
          id: t.id,
          variables: { service: 'x'.repeat(41), fee: 'cheap', email: 'not-an-email', surprise: true, currency: 'GBP' },
        },
        parties: parties(),
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('invalid_template_variables');
    const errors = res.json.errors as { path: string; message: string }[];
    expect(errors.map((e) => e.path).sort()).toEqual(
      [
        '/body/template/variables/currency',
        '/body/template/variables/email',
        '/body/template/variables/fee',
        '/body/template/variables/service',
        '/body/template/variables/startDate',
        '/body/template/variables/surprise',
      ].sort(),
    );
    expect(errors.find((e) => e.path.endsWith('/startDate'))?.message).toBe('is required');
    expect(errors.find((e) => e.path.endsWith('/surprise'))?.message).toBe('is not a variable of this template');
    expect(errors.find((e) => e.path.endsWith('/email'))?.message).toContain('format');
  });

  it('refuses missing, unknown and mismatched roles, and templates that cannot be used', async () => {
    const t = await published();
    const post = (body: unknown) =>
      request(server.url, 'POST', '/v1/contracts', { token: owner.client.auth.accessToken, body });
    const missing = await post({
      template: { id: t.id, variables: good },
      parties: { Client: parties().Client, Boss: parties().Provider },
    });
    expect(missing.status).toBe(422);
    expect(missing.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/body/parties/Boss',
      '/body/parties/Provider',
    ]);
    const draftOnly = await owner.client.templates.create(services);
    const unpublished = await post({ template: { id: draftOnly.id, variables: good }, parties: parties() });
    expect([unpublished.status, unpublished.json.code]).toEqual([422, 'invalid_reference']);
    const noVersion = await post({ template: { id: t.id, version: 9, variables: good }, parties: parties() });
    expect([noVersion.status, noVersion.json.code, noVersion.json.errors[0].path]).toEqual([
      422,
      'invalid_reference',
      '/body/template/version',
    ]);
    const list = await post({
      template: { id: t.id, variables: good },
      parties: [{ did: client.key.did, role: 'signer' }],
    });
    expect([list.status, list.json.errors[0].path]).toEqual([422, '/body/parties']);
    const archived = await owner.client.templates.archive(t.id);
    expect(archived.status).toBe('archived');
    const fromArchived = await post({ template: { id: t.id, variables: good }, parties: parties() });
    expect([fromArchived.status, fromArchived.json.code]).toEqual([422, 'invalid_reference']);
    const edit = await request(server.url, 'PATCH', `/v1/templates/${t.id}`, {
      token: owner.client.auth.accessToken,
      body: { name: 'again' },
    });
    expect([edit.status, edit.json.code]).toEqual([409, 'template_archived']);
  });

  it('fills a role with a fixed DID by itself and refuses another DID for it', async () => {
    const t = await published({
      ...services,
      roles: [{ key: 'Client' }, { key: 'Provider', did: provider.key.did, name: 'ACME GmbH' }],
    });
    const contract = await owner.client.contracts.createFromTemplate({
      template: { id: t.id, variables: good },
      parties: { Client: { did: client.key.did } },
    });
    expect(contract.body).toContain('ACME GmbH provides Hosting');
    const res = await request(server.url, 'POST', '/v1/contracts', {
      token: owner.client.auth.accessToken,
      body: {
        template: { id: t.id, variables: good },
        parties: { Client: { did: client.key.did }, Provider: { did: client.key.did } },
      },
    });
    expect([res.status, res.json.errors[0].path]).toEqual([422, '/body/parties/Provider/did']);
  });

  it('keeps the parties of a template contract bound to its roles', async () => {
    const t = await published();
    const contract = await owner.client.contracts.createFromTemplate({
      template: { id: t.id, variables: good },
      parties: parties(),
    });
    const res = await request(server.url, 'PATCH', `/v1/contracts/${contract.id}`, {
      token: owner.client.auth.accessToken,
      body: { parties: [{ did: owner.key.did, role: 'signer' }] },
    });
    expect([res.status, res.json.code]).toEqual([409, 'template_bound']);
    const retitled = await owner.client.contracts.update(contract.id, { title: 'Hosting for Globex' });
    expect(retitled.template).toEqual(contract.template);
    expect(await computeContentHash(retitled)).toBe(retitled.contentHash);
    expect((await verifyEvidence(await owner.client.contracts.evidence(contract.id))).valid).toBe(true);
  });

  it('refuses invalid templates with every problem', async () => {
    const post = (body: unknown) =>
      request(server.url, 'POST', '/v1/templates', { token: owner.client.auth.accessToken, body });
    const cases: [string, unknown, string, string][] = [
      ['unclosed section', { name: 'x', body: '{{#a}} open' }, 'invalid_template', '/body/body'],
      ['partial', { name: 'x', body: '{{> other}}' }, 'invalid_template', '/body/body'],
      [
        'unescaped output',
        { name: 'x', body: '{{{a}}}', variables: { type: 'object', properties: { a: { type: 'string' } } } },
        'invalid_template',
        '/body/body',
      ],
      [
        'undeclared variable',
        { name: 'x', body: 'Hi {{nmae}}', variables: { type: 'object', properties: { name: { type: 'string' } } } },
        'invalid_template',
        '/body/body',
      ],
      ['unknown role', { name: 'x', body: 'Hi {{roles.Boss.name}}' }, 'invalid_template', '/body/body'],
      [
        'unsupported keyword',
        { name: 'x', body: 'x', variables: { type: 'object', properties: { a: { $ref: '#/x' } } } },
        'invalid_template',
        '/body/variables/properties/a/$ref',
      ],
      [
        'not an object schema',
        { name: 'x', body: 'x', variables: { type: 'string' } },
        'invalid_template',
        '/body/variables/type',
      ],
      [
        'additional variables allowed',
        { name: 'x', body: 'x', variables: { type: 'object', additionalProperties: true } },
        'invalid_template',
        '/body/variables/additionalProperties',
      ],
      [
        'reserved name',
        { name: 'x', body: 'x', variables: { type: 'object', properties: { roles: { type: 'string' } } } },
        'invalid_template',
        '/body/variables/properties/roles',
      ],
      [
        'lookahead pattern',
        {
          name: 'x',
          body: 'x',
          variables: { type: 'object', properties: { a: { type: 'string', pattern: '(?=a)a' } } },
        },
        'invalid_template',
        '/body/variables',
      ],
      [
        'unknown format',
        { name: 'x', body: 'x', variables: { type: 'object', properties: { a: { type: 'string', format: 'iban' } } } },
        'invalid_template',
        '/body/variables',
      ],
      [
        'unbounded uniqueItems',
        {
          name: 'x',
          body: 'x',
          variables: { type: 'object', properties: { a: { type: 'array', uniqueItems: true } } },
        },
        'invalid_template',
        '/body/variables/properties/a/uniqueItems',
      ],
      [
        'duplicate role key',
        { name: 'x', body: 'x', roles: [{ key: 'A' }, { key: 'A' }] },
        'invalid_template',
        '/body/roles/1/key',
      ],
      ['bad role key', { name: 'x', body: 'x', roles: [{ key: '1st' }] }, 'validation_failed', '/body/roles/0/key'],
    ];
    for (const [label, body, code, path] of cases) {
      const res = await post(body);
      expect([label, res.status, res.json.code], JSON.stringify(res.json)).toEqual([label, 422, code]);
      expect(
        res.json.errors.map((e: { path: string }) => e.path),
        label,
      ).toContain(path);
    }
  });

  it('keeps other tenants’ templates out of reach', async () => {
    const t = await published();
    const token = client.client.auth.accessToken;
    expect((await request(server.url, 'GET', `/v1/templates/${t.id}`, { token })).status).toBe(404);
    expect((await request(server.url, 'GET', `/v1/templates/${t.id}/versions/1`, { token })).status).toBe(404);
    expect(
      (await request(server.url, 'POST', `/v1/templates/${t.id}/preview`, { token, body: { variables: good } })).status,
    ).toBe(404);
    expect((await request(server.url, 'GET', '/v1/templates?limit=100', { token })).text).not.toContain(t.id);
    const res = await request(server.url, 'POST', '/v1/contracts', {
      token,
      body: { template: { id: t.id, variables: good }, parties: parties() },
    });
    expect([res.status, res.json.code]).toEqual([422, 'invalid_reference']);
  });

  it('lists with filters and cursors', async () => {
    const tag = `t${Date.now()}`;
    const made = [];
    for (let i = 0; i < 3; i++)
      made.push(await owner.client.templates.create({ name: `Filter ${tag} ${i}`, body: 'x', tags: [tag] }));
    const first = await owner.client.templates.list({ tag, limit: 2 });
    expect(first.data.map((t) => t.id)).toEqual([made[2]!.id, made[1]!.id]);
    const second = await owner.client.templates.list({ tag, limit: 2, cursor: first.nextCursor! });
    expect(second.data.map((t) => t.id)).toEqual([made[0]!.id]);
    expect(second.nextCursor).toBeNull();
    expect((await owner.client.templates.list({ q: `${tag} 1` })).data.map((t) => t.id)).toEqual([made[1]!.id]);
    expect((await owner.client.templates.list({ tag, status: 'published' })).data).toEqual([]);
  });
});

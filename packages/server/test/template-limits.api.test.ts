// Hostile templates and variables: every limit answers a clear 413 `template_too_large` (or 422 for
// what is not a template at all) and the server stays responsive; lookups never reach prototypes.
import { TEMPLATE_LIMITS } from '@cms/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;
let owner: Awaited<ReturnType<typeof loggedInClient>>;

beforeAll(async () => {
  server = await sharedTestServer();
  owner = await loggedInClient(server.url);
});
afterAll(() => server?.close());

const post = (path: string, body: unknown) =>
  request(server.url, 'POST', path, { token: owner.client.auth.accessToken, body });
const list = (maxItems = 1000) => ({
  type: 'array',
  maxItems,
  items: { type: 'object', properties: { v: { type: 'string' } } },
});

async function publishedTemplate(body: string, variables: Record<string, unknown>) {
  const created = await post('/v1/templates', { name: 'Hostile', body, variables });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  expect((await post(`/v1/templates/${created.json.id}/publish`, undefined)).status).toBe(201);
  return created.json.id as string;
}

describe('template limits', () => {
  it('refuses sections nested deeper than the limit', async () => {
    const depth = TEMPLATE_LIMITS.sectionDepth + 1;
    const body = `${'{{#a}}'.repeat(depth)}x${'{{/a}}'.repeat(depth)}`;
    const res = await post('/v1/templates', {
      name: 'Deep',
      body,
      variables: { type: 'object', properties: { a: list() } },
    });
    expect([res.status, res.json.code]).toEqual([413, 'template_too_large']);
    expect(res.json.detail).toContain(`nested more than ${TEMPLATE_LIMITS.sectionDepth} deep`);
  });

  it('refuses bodies over the byte limit and with too many tags', async () => {
    const wide = await post('/v1/templates', { name: 'Wide', body: '€'.repeat(30_000) });
    expect([wide.status, wide.json.code]).toEqual([413, 'template_too_large']);
    const tags = await post('/v1/templates', { name: 'Tags', body: '{{! c }}'.repeat(TEMPLATE_LIMITS.tags + 1) });
    expect([tags.status, tags.json.code]).toEqual([413, 'template_too_large']);
  });

  it('refuses schemas that are too large, too deep or declare too many variables', async () => {
    const many = {
      type: 'object',
      properties: Object.fromEntries(
        Array.from({ length: TEMPLATE_LIMITS.variables + 1 }, (_, i) => [`v${i}`, { type: 'string' }]),
      ),
    };
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < TEMPLATE_LIMITS.schemaDepth; i++) deep = { type: 'object', properties: { n: deep } };
    const big = {
      type: 'object',
      properties: { a: { type: 'string', description: 'x'.repeat(TEMPLATE_LIMITS.schemaBytes) } },
    };
    for (const variables of [many, deep, big]) {
      const res = await post('/v1/templates', { name: 'Schema', body: 'x', variables });
      expect([res.status, res.json.code]).toEqual([413, 'template_too_large']);
    }
  });

  it('stops a rendering that repeats too often (nested repetitions), before spending unbounded time', async () => {
    // 100 items, four levels deep: 10^8 iterations if nothing stopped it.
    const id = await publishedTemplate('{{#a}}{{#a}}{{#a}}{{#a}}{{v}}{{/a}}{{/a}}{{/a}}{{/a}}', {
      type: 'object',
      properties: { a: list() },
    });
    const a = Array.from({ length: 100 }, (_, i) => ({ v: String(i) }));
    const preview = await post(`/v1/templates/${id}/preview`, { variables: { a } });
    expect([preview.status, preview.json.code]).toEqual([413, 'template_too_large']);
    expect(preview.json.detail).toContain(`more than ${TEMPLATE_LIMITS.renderSteps} steps`);
    const create = await post('/v1/contracts', { template: { id, variables: { a } }, parties: {} });
    expect([create.status, create.json.code]).toEqual([413, 'template_too_large']);
    expect((await owner.client.contracts.list({ limit: 100 })).data).toEqual([]);
  });

  it('stops a rendering whose output would be too large', async () => {
    const id = await publishedTemplate('{{#a}}{{v}}{{/a}}', { type: 'object', properties: { a: list() } });
    const a = Array.from({ length: 100 }, () => ({ v: 'x'.repeat(10_000) }));
    const res = await post(`/v1/templates/${id}/preview`, { variables: { a } });
    expect([res.status, res.json.code]).toEqual([413, 'template_too_large']);
    expect(res.json.detail).toContain(`larger than ${TEMPLATE_LIMITS.outputBytes} bytes`);
  });

  it('matches patterns in linear time: a catastrophic-backtracking pattern just refuses the value', async () => {
    const id = await publishedTemplate('{{s}}', {
      type: 'object',
      properties: { s: { type: 'string', pattern: '^(a+)+$' } },
    });
    const res = await post(`/v1/templates/${id}/preview`, { variables: { s: `${'a'.repeat(50_000)}b` } });
    expect([res.status, res.json.code, res.json.errors[0].path]).toEqual([
      422,
      'invalid_template_variables',
      '/body/variables/s',
    ]);
  });

  it('never reaches prototypes or functions through a name', async () => {
    const id = await publishedTemplate(
      '{{#a}}[{{constructor}}{{constructor.name}}{{toString}}{{__proto__}}{{v.length}}{{hasOwnProperty}}]{{/a}}',
      {
        type: 'object',
        properties: { a: list() },
      },
    );
    const res = await post(`/v1/templates/${id}/preview`, { variables: { a: [{ v: 'abc' }] } });
    expect(res.status).toBe(200);
    expect(res.json.body).toBe('[]');
  });

  it('stays responsive after the refusals', async () => {
    expect((await request(server.url, 'GET', '/healthz')).status).toBe(200);
  });
});

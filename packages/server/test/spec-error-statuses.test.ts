// Every operation declares the error statuses it can answer, so a validating proxy (or client) can
// refuse any other: the ones its middleware can produce by rule, below, plus its handler's own
// (checked at run time: `request()` in api-helpers fails a test on an undeclared status).
import { describe, expect, it } from 'vitest';
import { openapiDocument } from '../src/generated/openapi-document.js';
import { assertDeclaredStatus } from './support/declared-statuses.js';

type Param = { name: string; in: string; $ref?: string };
type Op = {
  operationId: string;
  security?: unknown[];
  parameters?: Param[];
  requestBody?: unknown;
  'x-cms-idempotent'?: boolean;
  responses: Record<string, { $ref?: string }>;
};
const doc = openapiDocument as {
  paths: Record<string, Record<string, Op>>;
  components: { parameters: Record<string, Param> };
};
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ path, method, op })),
);

/** The statuses an operation's place in the middleware chain makes possible. */
function statusesByRule(path: string, method: string, op: Op): number[] {
  const params = (op.parameters ?? []).map((p) => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()!]! : p));
  const statuses = new Set([500]);
  if (path.startsWith('/v1/')) statuses.add(503); // request timeout; database or session store down
  if (path.startsWith('/v1/') || path.startsWith('/.well-known/')) statuses.add(429); // per-address limit
  if (!(Array.isArray(op.security) && op.security.length === 0)) for (const s of [401, 403]) statuses.add(s);
  if (['post', 'put', 'patch'].includes(method)) for (const s of [400, 413, 415, 422]) statuses.add(s); // body guard and limit
  if (method === 'delete') statuses.add(413);
  if (params.length || op.requestBody) statuses.add(422); // schema validation
  if (op['x-cms-idempotent']) for (const s of [409, 422]) statuses.add(s); // key in use, key reused
  if (params.some((p) => p.in === 'path')) statuses.add(404);
  if (params.some((p) => p.name === 'If-Match')) statuses.add(412);
  return [...statuses].sort();
}

describe('declared error statuses', () => {
  it.each(operations.map((o) => [o.op.operationId, o] as const))(
    '%s declares every status its middleware can answer, and no default',
    (_, { path, method, op }) => {
      expect(Object.keys(op.responses)).not.toContain('default');
      const declared = Object.keys(op.responses).map(Number);
      expect(statusesByRule(path, method, op).filter((s) => !declared.includes(s))).toEqual([]);
      if (declared.includes(503) && path.startsWith('/v1/'))
        expect(op.responses['503']!.$ref).toBe('#/components/responses/ServiceUnavailable');
      if (declared.includes(429)) expect(op.responses['429']!.$ref).toBe('#/components/responses/RateLimited');
    },
  );

  it('the test helpers refuse a status the operation does not declare, naming it', () => {
    expect(() =>
      assertDeclaredStatus('GET', '/v1/contracts/0190c3c0-0000-7000-8000-000000000000', 404, ''),
    ).not.toThrow();
    expect(() =>
      assertDeclaredStatus('GET', '/v1/contracts/0190c3c0-0000-7000-8000-000000000000?x=1', 409, '{"code":"x"}'),
    ).toThrow(
      /GET \/v1\/contracts\/0190c3c0-0000-7000-8000-000000000000\?x=1 answered 409, which openapi\/cms\.yaml does not declare for getContract/,
    );
    // Routes the spec does not have are the router's 404/405, not an operation's.
    expect(() => assertDeclaredStatus('PUT', '/v1/contracts', 404, '')).not.toThrow();
  });
});

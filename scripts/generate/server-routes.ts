// Emits the server's zod component schemas and one `createRoute()` per operation of the spec.
import { emitZod, type Schema } from './zod-emitter.ts';

type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    parameters?: Record<string, Parameter>;
    responses?: Record<string, Operation['responses'][string]>;
  };
};
type Parameter = { name: string; in: 'query' | 'path' | 'header'; required?: boolean; schema: Schema; $ref?: string };
type Operation = {
  operationId: string;
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  parameters?: Parameter[];
  responses: Record<string, { description?: string; content?: Record<string, { schema: Schema }>; $ref?: string }>;
  security?: unknown[];
  'x-cms-permission'?: string;
  'x-cms-idempotent'?: boolean;
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const refToName = (ref: string) => {
  const m = /^#\/components\/schemas\/(\w+)$/.exec(ref);
  if (!m) throw new Error(`unsupported $ref ${ref}`);
  return m[1]!;
};

/** Component schemas in dependency order, as `export const <Name> = …`. */
export function emitSchemas(doc: Doc): string {
  const schemas = doc.components.schemas;
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`recursive schema ${name} is not supported`);
    state.set(name, 'visiting');
    for (const ref of JSON.stringify(schemas[name]).matchAll(/"#\/components\/schemas\/(\w+)"/g)) visit(ref[1]!);
    state.set(name, 'done');
    order.push(name);
  };
  Object.keys(schemas).sort().forEach(visit);
  const ctx = { refName: refToName };
  const body = order.map((name) => {
    const schema = schemas[name]!;
    const doc = typeof schema.description === 'string' ? `/** ${schema.description.trim().split('\n')[0]} */\n` : '';
    return `${doc}export const ${name} = ${emitZod(schema, ctx)};\nexport type ${name} = z.infer<typeof ${name}>;`;
  });
  return `import { z } from '@hono/zod-openapi';\n\n${body.join('\n\n')}\n`;
}

/** One `createRoute()` per operation plus the policy table the server enforces generically. */
export function emitRoutes(doc: Doc): string {
  const routes: string[] = [];
  const policies: string[] = [];
  const ctx = { refName: (ref: string) => `s.${refToName(ref)}` };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const permission = op['x-cms-permission'];
      if (!permission) throw new Error(`${method.toUpperCase()} ${path} has no x-cms-permission`);
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      if ((permission === 'public') !== isPublic)
        throw new Error(`${op.operationId}: x-cms-permission public must match security: []`);
      const request: string[] = [];
      const params = (op.parameters ?? []).map((p) =>
        p.$ref ? doc.components.parameters![p.$ref.split('/').pop()!]! : p,
      );
      for (const where of ['path', 'query', 'header'] as const) {
        const group = params.filter((p) => p.in === where);
        if (group.length === 0) continue;
        const fields = group.map((p) => {
          let f = emitZod(p.schema, { ...ctx, coerce: where !== 'header' });
          if (!p.required && where !== 'path' && p.schema.default === undefined) f += '.optional()';
          // Hono hands header validators lower-cased names.
          return `      ${JSON.stringify(where === 'header' ? p.name.toLowerCase() : p.name)}: ${f},`;
        });
        const key = where === 'path' ? 'params' : where === 'query' ? 'query' : 'headers';
        request.push(`    ${key}: z.object({\n${fields.join('\n')}\n    }),`);
      }
      if (op.requestBody) {
        const json = op.requestBody.content['application/json'];
        const types = Object.keys(op.requestBody.content);
        const isStream = (t: string) => t === 'application/octet-stream' || t === '*/*';
        if (!json && !types.every(isStream))
          throw new Error(
            `${op.operationId}: request bodies are application/json, or a stream (application/octet-stream, */*)`,
          );
        // A streamed body is the handler's to read (c.req.raw.body): no validator may buffer it.
        if (json)
          request.push(
            `    body: { required: ${op.requestBody.required === true}, content: { 'application/json': { schema: ${emitZod(json.schema, ctx)} } } },`,
          );
      }
      const responses = Object.entries(op.responses)
        .filter(([status]) => /^2\d\d$/.test(status))
        .map(([status, ref]) => {
          const r = ref.$ref ? doc.components.responses![ref.$ref.split('/').pop()!]! : ref;
          const json = r.content?.['application/json'];
          const content = json ? `, content: { 'application/json': { schema: ${emitZod(json.schema, ctx)} } }` : '';
          return `    ${status}: { description: ${JSON.stringify(r.description ?? '')}${content} },`;
        });
      routes.push(
        `export const ${op.operationId} = createRoute({\n  operationId: '${op.operationId}',\n  method: '${method}',\n  path: '${path}',\n` +
          (request.length ? `  request: {\n${request.join('\n')}\n  },\n` : '') +
          `  responses: {\n${responses.join('\n')}\n  },\n});`,
      );
      policies.push(
        `  ${op.operationId}: { method: '${method}', path: '${path}', permission: '${permission}', idempotent: ${op['x-cms-idempotent'] === true} },`,
      );
    }
  }
  return (
    `import { createRoute, z } from '@hono/zod-openapi';\nimport * as s from './schemas.js';\n\n${routes.join('\n\n')}\n\n` +
    `/** What each operation requires, from its \`x-cms-*\` extensions. */\nexport const operationPolicies = {\n${policies.join('\n')}\n} as const;\n\n` +
    `export type OperationId = keyof typeof operationPolicies;\nexport type Permission = (typeof operationPolicies)[OperationId]['permission'];\n`
  );
}

/** The error catalogue (`ErrorCode` + `x-cms-errors`) as a typed constant. */
export function emitErrorCatalogue(doc: Doc): string {
  const schema = doc.components.schemas.ErrorCode as {
    enum: string[];
    'x-cms-errors': Record<string, { status: number; title: string }>;
  };
  const entries = schema.enum.map((code) => {
    const e = schema['x-cms-errors'][code];
    if (!e) throw new Error(`ErrorCode ${code} has no x-cms-errors entry`);
    return `  /** ${e.title} */\n  ${code}: { status: ${e.status}, title: ${JSON.stringify(e.title)} },`;
  });
  const extra = Object.keys(schema['x-cms-errors']).filter((c) => !schema.enum.includes(c));
  if (extra.length) throw new Error(`x-cms-errors lists codes missing from the enum: ${extra.join(', ')}`);
  return `/** Every error code the API can answer with, its HTTP status and meaning. */\nexport const errorCatalogue = {\n${entries.join('\n')}\n} as const;\n\nexport type ErrorCode = keyof typeof errorCatalogue;\n`;
}

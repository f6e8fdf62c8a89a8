// Emits zod 4 source for the JSON Schema subset used by openapi/cms.yaml. Any keyword it does not
// understand is an error, so the spec can never silently stop validating something it declares.

export type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set([
  'description',
  'summary',
  'title',
  'example',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'x-cms-errors',
]);
const HANDLED = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'format',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'default',
  'required',
  'properties',
  'additionalProperties',
  'maxProperties',
  'minProperties',
  'propertyNames',
  'items',
  'minItems',
  'maxItems',
  'oneOf',
  'anyOf',
]);

export interface EmitContext {
  /** Component name → identifier of its emitted constant. */
  refName(ref: string): string;
  /** Query parameters arrive as strings: coerce numbers and booleans. */
  coerce?: boolean;
}

export function emitZod(schema: Schema, ctx: EmitContext): string {
  for (const key of Object.keys(schema)) {
    if (!HANDLED.has(key) && !ANNOTATIONS.has(key) && !key.startsWith('x-')) {
      throw new Error(
        `zod emitter: unsupported JSON Schema keyword "${key}" in ${JSON.stringify(schema).slice(0, 120)}`,
      );
    }
  }
  let out: string;
  if (typeof schema.$ref === 'string') {
    out = ctx.refName(schema.$ref);
  } else if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
    const members = ((schema.oneOf ?? schema.anyOf) as Schema[]).map((s) => emitZod(s, ctx));
    out = `z.union([${members.join(', ')}])`;
  } else if (Array.isArray(schema.enum)) {
    const values = schema.enum as unknown[];
    out = values.every((v) => typeof v === 'string')
      ? `z.enum([${values.map((v) => JSON.stringify(v)).join(', ')}])`
      : `z.union([${values.map((v) => `z.literal(${JSON.stringify(v)})`).join(', ')}])`;
  } else if (schema.const !== undefined) {
    out = `z.literal(${JSON.stringify(schema.const)})`;
  } else {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : [];
    const nonNull = types.filter((t) => t !== 'null');
    if (nonNull.length > 1) throw new Error(`zod emitter: multi-type schemas are not supported: ${types.join(',')}`);
    if (types.length === 1 && types[0] === 'null') {
      out = 'z.null()';
    } else {
      out = emitType(nonNull[0], schema, ctx);
      if (types.includes('null')) out += '.nullable()';
    }
  }
  if (schema.default !== undefined) out += `.default(${JSON.stringify(schema.default)})`;
  return out;
}

function emitType(type: string | undefined, schema: Schema, ctx: EmitContext): string {
  switch (type) {
    case 'string':
      return emitString(schema);
    case 'integer':
    case 'number': {
      let s = ctx.coerce ? 'z.coerce.number()' : 'z.number()';
      if (type === 'integer') s += '.int()';
      if (schema.minimum !== undefined) s += `.gte(${schema.minimum})`;
      if (schema.maximum !== undefined) s += `.lte(${schema.maximum})`;
      return s;
    }
    case 'boolean':
      return ctx.coerce ? `z.enum(['true', 'false']).transform((v) => v === 'true')` : 'z.boolean()';
    case 'array': {
      let s = `z.array(${emitZod((schema.items ?? {}) as Schema, ctx)})`;
      if (schema.minItems !== undefined) s += `.min(${schema.minItems})`;
      if (schema.maxItems !== undefined) s += `.max(${schema.maxItems})`;
      return s;
    }
    case 'object':
      return emitObject(schema, ctx);
    case undefined:
      return 'z.unknown()';
    default:
      throw new Error(`zod emitter: unsupported type "${type}"`);
  }
}

function emitString(schema: Schema): string {
  let s: string;
  switch (schema.format) {
    case undefined:
      s = 'z.string()';
      break;
    case 'uuid':
      s = 'z.uuid()';
      break;
    case 'date-time':
      s = 'z.iso.datetime({ offset: true })';
      break;
    case 'uri':
      s = 'z.url()';
      break;
    default:
      throw new Error(`zod emitter: unsupported string format "${schema.format}"`);
  }
  if (schema.minLength !== undefined) s += `.min(${schema.minLength})`;
  if (schema.maxLength !== undefined) s += `.max(${schema.maxLength})`;
  if (schema.pattern !== undefined) s += `.regex(new RegExp(${JSON.stringify(schema.pattern)}))`;
  return s;
}

function emitObject(schema: Schema, ctx: EmitContext): string {
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const extra = schema.additionalProperties;
  let s: string;
  if (Object.keys(props).length === 0 && extra !== false) {
    const value = extra && typeof extra === 'object' ? emitZod(extra as Schema, ctx) : 'z.unknown()';
    const names = schema.propertyNames as Schema | undefined;
    s = `z.record(${names ? emitZod({ type: 'string', ...names }, ctx) : 'z.string()'}, ${value})`;
  } else {
    const fields = Object.entries(props).map(([name, prop]) => {
      let f = emitZod(prop, ctx);
      if (!required.has(name) && prop.default === undefined) f += '.optional()';
      return `  ${JSON.stringify(name)}: ${f.replace(/\n/g, '\n  ')},`;
    });
    const ctor = extra === false ? 'z.strictObject' : extra === true ? 'z.looseObject' : 'z.object';
    s = `${ctor}({\n${fields.join('\n')}\n})`;
    if (extra && typeof extra === 'object') s += `.catchall(${emitZod(extra as Schema, ctx)})`;
  }
  const { minProperties: min, maxProperties: max } = schema;
  if (min !== undefined)
    s += `.refine((o) => Object.keys(o).length >= ${min}, { message: 'must have at least ${min} properties' })`;
  if (max !== undefined)
    s += `.refine((o) => Object.keys(o).length <= ${max}, { message: 'must have at most ${max} properties' })`;
  return s;
}

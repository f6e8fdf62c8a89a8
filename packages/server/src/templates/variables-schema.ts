// Variables' JSON Schemas (2020-12): the keywords templates support, bounded in size and depth, and
// compiled with ajv. Patterns run on RE2 (re2js, linear time), so no pattern can backtrack
// exponentially; `uniqueItems` needs a small `maxItems` (ajv compares objects pairwise).
import { canonicalJson, TEMPLATE_LIMITS } from '@cms/sdk';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { RE2JS } from 're2js';
import type { FieldError } from '../errors/app-error.js';

const KEYWORDS = new Set([
  '$schema',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'type',
  'enum',
  'const',
  'format',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'maxProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
]);
export const FORMATS = [
  'date',
  'time',
  'date-time',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'uuid',
] as const;
const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
/** Most items an array with `uniqueItems` may allow. */
export const UNIQUE_ITEMS_MAX = 1000;

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

const re2: ((pattern: string, flags: string) => { test(s: string): boolean }) & { code: string } = Object.assign(
  (pattern: string) => {
    const compiled = RE2JS.compile(pattern);
    // ajv shares compiled patterns by their `toString()`: it must name the pattern.
    return { test: (s: string) => compiled.matcher(s).find(), toString: () => `re2:${pattern}` };
  },
  { code: 'require("re2js").RE2JS' },
);

const ajv = new Ajv2020({
  allErrors: true,
  useDefaults: true,
  strict: true,
  code: { regExp: re2 },
  validateFormats: true,
});
const addFormats = addFormatsModule as unknown as (a: Ajv2020, o: { mode: 'fast'; formats: string[] }) => void;
addFormats(ajv, { mode: 'fast', formats: [...FORMATS] });

/**
 * Checks a variables schema and returns it normalized: every object schema with `properties` that does
 * not say otherwise gets `additionalProperties: false` (unknown variables are refused, and the stored,
 * hashed schema says so). Problems are reported with JSON pointers under `path`.
 */
export function normalizeVariablesSchema(
  schema: Schema,
  path: string,
): { schema: Schema; problems: FieldError[]; tooLarge?: string } {
  const problems: FieldError[] = [];
  if (new TextEncoder().encode(JSON.stringify(schema)).length > TEMPLATE_LIMITS.schemaBytes) {
    return { schema, problems, tooLarge: `the variables schema is larger than ${TEMPLATE_LIMITS.schemaBytes} bytes` };
  }
  let properties = 0;
  let tooLarge: string | undefined;
  const walk = (node: unknown, pointer: string, depth: number): unknown => {
    if (!isSchema(node)) {
      problems.push({ path: pointer, message: 'must be a schema object' });
      return node;
    }
    if (depth > TEMPLATE_LIMITS.schemaDepth) {
      tooLarge ??= `the variables schema nests deeper than ${TEMPLATE_LIMITS.schemaDepth} levels`;
      return node;
    }
    const out: Schema = {};
    for (const [key, value] of Object.entries(node)) {
      if (!KEYWORDS.has(key))
        problems.push({ path: `${pointer}/${key}`, message: `keyword "${key}" is not supported in template schemas` });
      else out[key] = value;
    }
    if ('$schema' in node && (pointer !== path || node.$schema !== DRAFT))
      problems.push({ path: `${pointer}/$schema`, message: `only "${DRAFT}", at the top` });
    if (isSchema(node.properties)) {
      const props: Schema = {};
      for (const [name, sub] of Object.entries(node.properties)) {
        if (++properties > TEMPLATE_LIMITS.variables)
          tooLarge ??= `the variables schema declares more than ${TEMPLATE_LIMITS.variables} properties`;
        props[name] = walk(sub, `${pointer}/properties/${name}`, depth + 1);
      }
      out.properties = props;
      if (!('additionalProperties' in node)) out.additionalProperties = false;
    }
    if ('items' in node) out.items = walk(node.items, `${pointer}/items`, depth + 1);
    if (isSchema(node.additionalProperties))
      out.additionalProperties = walk(node.additionalProperties, `${pointer}/additionalProperties`, depth + 1);
    if (node.uniqueItems === true && !(typeof node.maxItems === 'number' && node.maxItems <= UNIQUE_ITEMS_MAX)) {
      problems.push({ path: `${pointer}/uniqueItems`, message: `needs maxItems of at most ${UNIQUE_ITEMS_MAX}` });
    }
    return out;
  };
  const normalized = walk(schema, path, 1) as Schema;
  if (tooLarge) return { schema, problems, tooLarge };
  if (normalized.type !== 'object')
    problems.push({ path: `${path}/type`, message: 'the variables schema must be of type "object"' });
  if (normalized.additionalProperties !== false)
    problems.push({ path: `${path}/additionalProperties`, message: 'must be false: unknown variables are refused' });
  if (isSchema(normalized.properties) && Object.hasOwn(normalized.properties, 'roles')) {
    problems.push({ path: `${path}/properties/roles`, message: '"roles" is reserved for the role placeholders' });
  }
  if (!problems.length) {
    try {
      compiled(normalized);
    } catch (e) {
      problems.push({ path, message: `not a valid schema: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  return { schema: normalized, problems };
}

const cache = new Map<string, { validate: ValidateFunction; schema: Schema }>();
const CACHE_SIZE = 256;

/** The compiled validator of a (normalized) schema, from a small LRU keyed by the schema's canonical JSON. */
function compiled(schema: Schema): ValidateFunction {
  const key = canonicalJson(schema);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit.validate;
  }
  const copy = JSON.parse(key) as Schema;
  const validate = ajv.compile(copy);
  cache.set(key, { validate, schema: copy });
  if (cache.size > CACHE_SIZE) {
    const [oldest, entry] = cache.entries().next().value!;
    cache.delete(oldest);
    ajv.removeSchema(entry.schema);
  }
  return validate;
}

/**
 * Validates variables against a stored schema. Returns a copy with the schema's defaults filled in, or
 * every problem, each with its JSON pointer under `path`.
 */
export function validateVariables(
  schema: Schema,
  variables: Record<string, unknown>,
  path: string,
): { ok: true; variables: Record<string, unknown> } | { ok: false; errors: FieldError[] } {
  const validate = compiled(schema);
  const copy = structuredClone(variables);
  if (validate(copy)) return { ok: true, variables: copy };
  return { ok: false, errors: (validate.errors ?? []).map((e) => fieldError(e, path)) };
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function fieldError(e: ErrorObject, path: string): FieldError {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required')
    return {
      path: `${path}${e.instancePath}/${escapePointer(String(params.missingProperty))}`,
      message: 'is required',
    };
  if (e.keyword === 'additionalProperties')
    return {
      path: `${path}${e.instancePath}/${escapePointer(String(params.additionalProperty))}`,
      message: 'is not a variable of this template',
    };
  return { path: `${path}${e.instancePath}`, message: e.message ?? e.keyword };
}

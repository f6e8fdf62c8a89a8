// Builds a template version's content from API input and checks all of it: the body parses within the
// limits, the variables schema is supported, roles are well formed, and every top-level name the body
// uses is a declared variable or a role.
import { computeTemplateVersionHash, TEMPLATE_LIMITS, type TemplateVersionContent } from '@cms/sdk';
import { parseTemplateBody, TemplateRenderError, templateNames } from '@cms/sdk/templates';
import { AppError, type FieldError } from '../errors/app-error.js';
import type { TemplateRole } from '../generated/schemas.js';
import { normalizeVariablesSchema } from './variables-schema.js';

export interface TemplateContentInput {
  body: string;
  variables?: Record<string, unknown>;
  roles?: TemplateRole[];
  terms?: Record<string, unknown>;
  expiresInDays?: number | null;
  documents?: TemplateVersionContent['documents'];
}

const EMPTY_SCHEMA = { type: 'object', properties: {} };

/** The checked, normalized content and its version hash; throws `invalid_template` or `template_too_large`. */
export async function buildTemplateContent(
  input: TemplateContentInput,
): Promise<{ content: TemplateVersionContent; hash: `0x${string}` }> {
  const problems: FieldError[] = [];
  const tooLarge = (detail: string) => new AppError('template_too_large', `${detail}.`);

  try {
    parseTemplateBody(input.body);
  } catch (e) {
    if (e instanceof TemplateRenderError && e.kind === 'limit') throw tooLarge(e.message);
    problems.push({ path: '/body/body', message: (e as Error).message });
  }

  const schema = normalizeVariablesSchema(input.variables ?? EMPTY_SCHEMA, '/body/variables');
  if (schema.tooLarge) throw tooLarge(schema.tooLarge);
  problems.push(...schema.problems);

  const roles = (input.roles ?? []).map((r) => ({
    key: r.key,
    label: r.label ?? r.key,
    description: r.description ?? null,
    partyRole: r.partyRole ?? 'signer',
    signingOrder: r.signingOrder ?? 1,
    did: r.did ?? null,
    name: r.name ?? null,
  }));
  if (roles.length > TEMPLATE_LIMITS.roles) throw tooLarge(`more than ${TEMPLATE_LIMITS.roles} roles`);
  const keys = new Map<string, number>();
  const dids = new Map<string, number>();
  roles.forEach((r, i) => {
    if (keys.has(r.key))
      problems.push({ path: `/body/roles/${i}/key`, message: `same key as /body/roles/${keys.get(r.key)}` });
    keys.set(r.key, i);
    if (r.did !== null) {
      if (dids.has(r.did))
        problems.push({ path: `/body/roles/${i}/did`, message: `same DID as /body/roles/${dids.get(r.did)}` });
      dids.set(r.did, i);
    }
  });

  if (!problems.length) problems.push(...unknownNames(input.body, schema.schema, new Set(keys.keys())));
  if (problems.length)
    throw new AppError('invalid_template', `The template has ${problems.length} problem(s).`, { errors: problems });

  const content: TemplateVersionContent = {
    body: input.body,
    variables: schema.schema,
    roles,
    terms: input.terms ?? {},
    expiresInDays: input.expiresInDays ?? null,
    documents: input.documents ?? [],
  };
  return { content, hash: await computeTemplateVersionHash(content) };
}

/**
 * Top-level tags (outside any section) must name a declared variable or `roles.<key>`: a misspelt
 * placeholder is refused instead of rendering as nothing. Inside sections names may refer to the
 * current item, so they are not checked.
 */
function unknownNames(body: string, schema: Record<string, unknown>, roleKeys: ReadonlySet<string>): FieldError[] {
  const declared = new Set(Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {}));
  const problems: FieldError[] = [];
  for (const { name, depth } of templateNames(body)) {
    if (depth > 0 || name === '.') continue;
    const [head, second] = name.split('.');
    if (head === 'roles') {
      if (second === undefined || !roleKeys.has(second))
        problems.push({ path: '/body/body', message: `{{${name}}} names no role of the template` });
    } else if (!declared.has(head!)) {
      problems.push({ path: '/body/body', message: `{{${name}}} names no variable of the template` });
    }
  }
  return problems;
}

// Variables validated against a version's schema, roles filled with parties, and the body rendered:
// shared by preview and by creating a contract, so both produce exactly the same text.
import { sha256Hex, type TemplateVersionContent } from '@cms/sdk';
import { type RoleFill, renderContractBody, TemplateRenderError } from '@cms/sdk/templates';
import { AppError, type FieldError } from '../errors/app-error.js';
import type { PartyInput, TemplateParties } from '../generated/schemas.js';
import { validateVariables } from './variables-schema.js';

export interface FilledRoles {
  /** The contract's parties, in the template's role order. */
  parties: PartyInput[];
  /** Role key → DID. */
  roles: Record<string, string>;
  fills: Record<string, RoleFill>;
}

/** Validated variables with defaults filled in, or 422 `invalid_template_variables` naming every bad one. */
export function checkedVariables(
  content: TemplateVersionContent,
  variables: Record<string, unknown>,
  path: string,
): Record<string, unknown> {
  const result = validateVariables(content.variables, variables, path);
  if (!result.ok)
    throw new AppError(
      'invalid_template_variables',
      `${result.errors.length} variable(s) do not match the template's schema.`,
      { errors: result.errors },
    );
  return result.variables;
}

/**
 * Fills every role with a party: the one named for its key, else the role's fixed DID. `partial`
 * (preview) leaves unnamed roles unfilled instead of refusing them.
 */
export function fillRoles(
  content: TemplateVersionContent,
  given: TemplateParties = {},
  options: { path: string; partial?: boolean },
): FilledRoles {
  const errors: FieldError[] = [];
  const keys = new Set(content.roles.map((r) => r.key));
  for (const key of Object.keys(given))
    if (!keys.has(key)) errors.push({ path: `${options.path}/${key}`, message: 'is not a role of this template' });
  const out: FilledRoles = { parties: [], roles: {}, fills: {} };
  for (const role of content.roles) {
    const party = Object.hasOwn(given, role.key) ? given[role.key] : undefined;
    if (party && role.did !== null && party.did !== role.did) {
      errors.push({ path: `${options.path}/${role.key}/did`, message: `this role is fixed to ${role.did}` });
      continue;
    }
    const did = party?.did ?? role.did;
    if (did === null) {
      if (!options.partial)
        errors.push({ path: `${options.path}/${role.key}`, message: 'is required: no party fills this role' });
      continue;
    }
    const name = party?.name ?? role.name;
    out.parties.push({ did, role: role.partyRole, signingOrder: role.signingOrder, ...(name !== null && { name }) });
    out.roles[role.key] = did;
    out.fills[role.key] = { did, name };
  }
  if (errors.length)
    throw new AppError('validation_failed', 'The parties do not fill the template’s roles.', { errors });
  return out;
}

/** Renders the body; a rendering past the limits is 413 `template_too_large`. */
export async function renderBody(
  content: TemplateVersionContent,
  variables: Record<string, unknown>,
  fills: Record<string, RoleFill>,
): Promise<{ body: string; bodySha256: string }> {
  let body: string;
  try {
    body = renderContractBody(content.body, variables, content.roles, fills);
  } catch (e) {
    if (e instanceof TemplateRenderError)
      throw new AppError(
        e.kind === 'limit' ? 'template_too_large' : 'invalid_template',
        `Rendering failed: ${e.message}.`,
      );
    throw e;
  }
  return { body, bodySha256: await sha256Hex(body) };
}

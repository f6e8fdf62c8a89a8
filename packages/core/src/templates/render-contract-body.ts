// The body of a contract created from a template: the version's body rendered with the contract's
// variables and the parties filling its roles, under `roles.<key>`.
import { renderTemplate } from './render-template.js';
import type { TemplateRoleContent } from './template-version-hash.js';

/** Who fills a role when rendering: a party's DID and name. */
export interface RoleFill {
  did: string;
  name: string | null;
}

/** The view a body is rendered with: the variables, plus `roles.<key>` = `{ key, label, did, name }`. */
export function templateRenderView(
  variables: Record<string, unknown>,
  roles: readonly TemplateRoleContent[],
  fills: Readonly<Record<string, RoleFill>>,
): Record<string, unknown> {
  const byKey: Record<string, unknown> = {};
  for (const role of roles) {
    const fill = Object.hasOwn(fills, role.key) ? fills[role.key] : undefined;
    byKey[role.key] = {
      key: role.key,
      label: role.label,
      did: fill?.did ?? `[${role.key} DID]`,
      name: fill ? fill.name : `[${role.key}]`,
    };
  }
  // Spread defines own properties (a `__proto__` key stays a plain key); the schema reserves `roles`.
  return { ...variables, roles: byKey };
}

/** Renders a version's body for a contract (or a preview, where unfilled roles show as `[<key>]`). */
export function renderContractBody(
  body: string,
  variables: Record<string, unknown>,
  roles: readonly TemplateRoleContent[],
  fills: Readonly<Record<string, RoleFill>>,
): string {
  return renderTemplate(body, templateRenderView(variables, roles, fills));
}

// Checks of a contract created from a template: the bundle's template version hashes to the hash the
// contract's content binds, and its body rendered with the contract's variables and parties is the
// body whose SHA-256 the content binds — so the bundle proves which template text produced the contract.
import { type RoleFill, renderContractBody } from '../templates/render-contract-body.js';
import { computeTemplateVersionHash, sha256Hex } from '../templates/template-version-hash.js';
import type { Outcome } from './evidence-check.js';
import type { CheckedBundle } from './evidence-shape.js';

/** `template.version`: the bundle names the version the content binds, and that version hashes to its hash. */
export async function templateVersionCheck(bundle: CheckedBundle): Promise<Outcome> {
  const binding = bundle.contract.content.template;
  const template = bundle.template;
  if (!binding && !template) return { problems: [], detail: 'not created from a template' };
  if (!binding)
    return { problems: ['the bundle carries a template, but the contract’s content binds none'], detail: '' };
  if (!template)
    return {
      problems: [`the content binds template ${binding.id} v${binding.version}, but the bundle does not carry it`],
      detail: '',
    };
  const problems: string[] = [];
  if (template.id !== binding.id || template.version !== binding.version)
    problems.push(
      `the bundle carries template ${template.id} v${template.version}, the content binds ${binding.id} v${binding.version}`,
    );
  const computed = await computeTemplateVersionHash(template.content);
  if (computed !== template.hash) problems.push(`the template version hashes to ${computed}, not ${template.hash}`);
  if (template.hash !== binding.hash)
    problems.push(`the content binds template hash ${binding.hash}, not ${template.hash}`);
  return { problems, detail: `template ${binding.id} v${binding.version} (${binding.hash})` };
}

/** `template.body`: re-rendering the version's body gives the rendered body, whose SHA-256 the content binds. */
export async function templateBodyCheck(bundle: CheckedBundle): Promise<Outcome> {
  const binding = bundle.contract.content.template;
  const template = bundle.template;
  if (!binding || !template) return { problems: [], detail: 'not created from a template' };
  const problems: string[] = [];
  const parties = new Map(bundle.contract.content.parties.map((p) => [p.did, p]));
  const fills: Record<string, RoleFill> = {};
  for (const role of template.content.roles) {
    const did = Object.hasOwn(binding.roles, role.key) ? binding.roles[role.key] : undefined;
    const party = did === undefined ? undefined : parties.get(did);
    if (!did || !party) problems.push(`role ${role.key} is not filled by a party of the contract`);
    else fills[role.key] = { did, name: party.name };
  }
  const unknown = Object.keys(binding.roles).filter((k) => !template.content.roles.some((r) => r.key === k));
  if (unknown.length) problems.push(`the content fills roles the template does not have: ${unknown.join(', ')}`);
  if (problems.length) return { problems, detail: '' };
  const rendered = renderContractBody(template.content.body, binding.variables, template.content.roles, fills);
  if (rendered !== template.renderedBody)
    problems.push('the template’s body renders differently from the bundle’s rendered body');
  const digest = await sha256Hex(template.renderedBody);
  if (digest !== binding.bodySha256)
    problems.push(`the rendered body hashes to ${digest}, not the bound ${binding.bodySha256}`);
  return { problems, detail: `rendered body ${binding.bodySha256}` };
}

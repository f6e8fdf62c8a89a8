// What a contract created from a template gets from it: the version to use, its validated variables,
// its parties from the role placeholders, its rendered body, and the binding its content hashes.
import type { ContractTemplateBinding } from '@cms/sdk';
import type { Principal } from '../auth/principal.js';
import type { Tx } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { ContractCreate, PartyInput } from '../generated/schemas.js';
import { findTemplate, findTemplateVersion } from './template-access.js';
import { checkedVariables, fillRoles, renderBody } from './template-render.js';

export interface TemplatedContent {
  title: string;
  terms: Record<string, unknown>;
  parties: PartyInput[];
  documents: { name: string; sha256: string; mediaType?: string; size?: number }[];
  expiresAt: Date | null;
  template: ContractTemplateBinding;
  body: string;
}

const invalid = (message: string) =>
  new AppError('invalid_reference', `The template cannot be used: ${message}.`, {
    errors: [{ path: '/body/template/id', message }],
  });

/**
 * Resolves `input.template` inside the creating transaction (the template row is share-locked, so it
 * cannot be archived meanwhile). Terms are the template's defaults overlaid with `input.terms`.
 */
export async function contentFromTemplate(
  tx: Tx,
  principal: Principal,
  input: ContractCreate & { template: NonNullable<ContractCreate['template']> },
  now: Date,
): Promise<TemplatedContent> {
  if (Array.isArray(input.parties)) {
    throw new AppError('validation_failed', 'With a template, parties map role keys to parties.', {
      errors: [{ path: '/body/parties', message: 'must be an object keyed by role' }],
    });
  }
  const template = await findTemplate(tx, principal, input.template.id, 'share').catch((e: unknown) => {
    throw e instanceof AppError && e.code === 'not_found' ? invalid('no such template') : e;
  });
  if (template.status === 'archived') throw invalid('the template is archived');
  const number = input.template.version ?? template.latestVersion;
  if (number === null) throw invalid('the template has no published version');
  const version = await findTemplateVersion(tx, principal, template.id, number);
  if (!version)
    throw new AppError('invalid_reference', `Template ${template.id} has no version ${number}.`, {
      errors: [{ path: '/body/template/version', message: 'no such version' }],
    });
  const content = version.content;
  const variables = checkedVariables(content, input.template.variables, '/body/template/variables');
  const filled = fillRoles(content, input.parties, { path: '/body/parties' });
  const { body, bodySha256 } = await renderBody(content, variables, filled.fills);
  const expiresAt = input.expiresAt
    ? new Date(input.expiresAt)
    : content.expiresInDays
      ? new Date(now.getTime() + content.expiresInDays * 86_400_000)
      : null;
  return {
    title: input.title ?? template.name,
    terms: { ...content.terms, ...input.terms },
    parties: filled.parties,
    documents: [...content.documents, ...(input.documents ?? [])],
    expiresAt,
    template: {
      id: template.id,
      version: version.version,
      hash: version.hash,
      variables,
      roles: filled.roles,
      bodySha256,
    },
    body,
  };
}

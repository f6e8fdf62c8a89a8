// Turns `cms contracts create` flags (or a JSON file) into the API's ContractCreate body.
// Only the syntax of the flags is checked here; the server validates the values.

import { readFile } from 'node:fs/promises';
import type { ContractCreate } from '@cms/sdk';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../cli-errors.js';

type PartyInput = Extract<NonNullable<ContractCreate['parties']>, unknown[]>[number];
type PartyRole = PartyInput['role'];

/** Every party role, in the order help lists them. */
export const PARTY_ROLES = ['signer', 'approver', 'viewer', 'cc'] as const satisfies readonly PartyRole[];
// Fails to compile when the API gains a role this list lacks.
type AssertTrue<T extends true> = T;
type AllPartyRolesListed = AssertTrue<Exclude<PartyRole, (typeof PARTY_ROLES)[number]> extends never ? true : false>;

const PARTY_SYNTAX = '<did>:<role>[:<order>]';

/**
 * Parses `--party <did>:<role>[:<order>]`. A DID has colons of its own, so the role (and order)
 * are taken from the end.
 * @example parseParty('did:key:z6Mk...:signer:2') // { did: 'did:key:z6Mk...', role: 'signer', signingOrder: 2 }
 */
export function parseParty(spec: string): PartyInput {
  const parts = spec.split(':');
  const order = /^\d+$/.test(parts.at(-1) ?? '') ? Number(parts.pop()) : undefined;
  const role = parts.pop() ?? '';
  const did = parts.join(':');
  if (!isPartyRole(role)) {
    throw new UsageError(`--party "${spec}": expected ${PARTY_SYNTAX} with a role of ${PARTY_ROLES.join(', ')}`);
  }
  if (!/^did:[a-z0-9]+:\S+$/.test(did)) {
    throw new UsageError(`--party "${spec}": "${did}" is not a DID; expected ${PARTY_SYNTAX}`);
  }
  return order === undefined ? { did, role, signingOrder: 1 } : { did, role, signingOrder: order };
}

/** Parses `--metadata key=value` (the value may contain `=`; a later key replaces an earlier one). */
export function parseMetadataEntry(entry: string): [key: string, value: string] {
  const at = entry.indexOf('=');
  if (at <= 0) throw new UsageError(`--metadata "${entry}": expected key=value`);
  return [entry.slice(0, at), entry.slice(at + 1)];
}

/** Parses a JSON object given inline or read from a file; `what` names its origin in messages. */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

/** Parses a YAML or JSON object read from a file (JSON is YAML); `what` names the file in messages. */
export function parseObjectFile(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new UsageError(`${what} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${what} must hold an object`);
  return value as Record<string, unknown>;
}

export interface ContractFlags {
  title?: string;
  description?: string;
  terms?: string;
  termsFile?: string;
  party?: string[];
  externalId?: string;
  metadata?: string[];
  expiresAt?: string;
  file?: string;
}

/** Reads a file, or all of stdin for `-`. */
export type ReadInput = (path: string) => Promise<string>;

export function inputReader(readStdin: () => Promise<string>): ReadInput {
  return async (path) => {
    if (path === '-') return readStdin();
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  };
}

/** The request body for `contracts create`, from `--file` or from the individual flags. */
export async function contractCreateFromFlags(flags: ContractFlags, read: ReadInput): Promise<ContractCreate> {
  if (flags.file !== undefined) {
    return parseObjectFile(
      await read(flags.file),
      flags.file === '-' ? 'stdin' : flags.file,
    ) as unknown as ContractCreate;
  }
  if (flags.title === undefined) throw new UsageError('--title is required (or pass the whole contract with --file)');
  const body: ContractCreate = { title: flags.title };
  if (flags.description !== undefined) body.description = flags.description;
  if (flags.terms !== undefined) body.terms = parseJsonObject(flags.terms, '--terms');
  if (flags.termsFile !== undefined) body.terms = parseObjectFile(await read(flags.termsFile), flags.termsFile);
  if (flags.party?.length) body.parties = flags.party.map(parseParty);
  if (flags.externalId !== undefined) body.externalId = flags.externalId;
  if (flags.metadata?.length) body.metadata = Object.fromEntries(flags.metadata.map(parseMetadataEntry));
  if (flags.expiresAt !== undefined) body.expiresAt = flags.expiresAt;
  return body;
}

function isPartyRole(role: string): role is PartyRole {
  return (PARTY_ROLES as readonly string[]).includes(role);
}

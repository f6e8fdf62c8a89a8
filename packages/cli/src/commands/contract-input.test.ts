import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-errors.js';
import {
  contractCreateFromFlags,
  inputReader,
  parseJsonObject,
  parseMetadataEntry,
  parseParty,
} from './contract-input.js';

const DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

describe('parseParty', () => {
  it('takes role and order from the end, leaving the DID its colons', () => {
    expect(parseParty(`${DID}:signer`)).toEqual({ did: DID, role: 'signer', signingOrder: 1 });
    expect(parseParty(`${DID}:approver:3`)).toEqual({ did: DID, role: 'approver', signingOrder: 3 });
    expect(parseParty('did:web:example.com:users:alice:cc:2')).toEqual({
      did: 'did:web:example.com:users:alice',
      role: 'cc',
      signingOrder: 2,
    });
  });

  it('rejects a missing or unknown role', () => {
    expect(() => parseParty(DID)).toThrowError(
      new UsageError(`--party "${DID}": expected <did>:<role>[:<order>] with a role of signer, approver, viewer, cc`),
    );
    expect(() => parseParty(`${DID}:owner:1`)).toThrow(/with a role of signer, approver, viewer, cc/);
    expect(() => parseParty(`${DID}:2`)).toThrow(UsageError);
  });

  it('rejects something that is not a DID', () => {
    expect(() => parseParty('alice:signer')).toThrowError(
      new UsageError('--party "alice:signer": "alice" is not a DID; expected <did>:<role>[:<order>]'),
    );
    expect(() => parseParty('signer')).toThrow(/is not a DID/);
  });
});

describe('parseMetadataEntry', () => {
  it('splits at the first =', () => {
    expect(parseMetadataEntry('team=legal')).toEqual(['team', 'legal']);
    expect(parseMetadataEntry('query=a=b')).toEqual(['query', 'a=b']);
    expect(parseMetadataEntry('empty=')).toEqual(['empty', '']);
  });
  it('needs a key', () => {
    expect(() => parseMetadataEntry('=x')).toThrow('--metadata "=x": expected key=value');
    expect(() => parseMetadataEntry('novalue')).toThrow(UsageError);
  });
});

describe('parseJsonObject', () => {
  it('accepts objects only', () => {
    expect(parseJsonObject('{"a":[1,{"b":null}]}', '--terms')).toEqual({ a: [1, { b: null }] });
    expect(() => parseJsonObject('[1]', '--terms')).toThrow('--terms must be a JSON object');
    expect(() => parseJsonObject('null', '--terms')).toThrow('--terms must be a JSON object');
    expect(() => parseJsonObject('{nope', '--terms')).toThrow(/^--terms is not valid JSON: /);
  });
});

describe('contractCreateFromFlags', () => {
  const noInput = inputReader(async () => '');

  it('builds the body from flags, leaving out what was not given', async () => {
    expect(await contractCreateFromFlags({ title: 'NDA' }, noInput)).toEqual({ title: 'NDA' });
    expect(
      await contractCreateFromFlags(
        {
          title: 'NDA',
          description: 'd',
          terms: '{"months":12}',
          party: [`${DID}:signer`, `${DID}:viewer:2`],
          externalId: 'crm-1',
          metadata: ['team=legal', 'team=sales', 'region=eu'],
          expiresAt: '2030-01-01T00:00:00Z',
        },
        noInput,
      ),
    ).toEqual({
      title: 'NDA',
      description: 'd',
      terms: { months: 12 },
      parties: [
        { did: DID, role: 'signer', signingOrder: 1 },
        { did: DID, role: 'viewer', signingOrder: 2 },
      ],
      externalId: 'crm-1',
      metadata: { team: 'sales', region: 'eu' },
      expiresAt: '2030-01-01T00:00:00Z',
    });
  });

  it('requires --title without --file', async () => {
    await expect(contractCreateFromFlags({ description: 'x' }, noInput)).rejects.toThrow(
      '--title is required (or pass the whole contract with --file)',
    );
  });

  it('reads --terms-file and --file, with - meaning stdin', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cms-cli-input-'));
    await writeFile(join(dir, 'terms.json'), '{"law":"DE"}');
    const read = inputReader(async () => '{"title":"from stdin","terms":{"x":1}}');
    expect(await contractCreateFromFlags({ title: 'T', termsFile: join(dir, 'terms.json') }, read)).toEqual({
      title: 'T',
      terms: { law: 'DE' },
    });
    expect(await contractCreateFromFlags({ file: '-' }, read)).toEqual({ title: 'from stdin', terms: { x: 1 } });
    await expect(contractCreateFromFlags({ file: join(dir, 'missing.json') }, read)).rejects.toThrowError(
      new UsageError(`cannot read ${join(dir, 'missing.json')}: ENOENT`),
    );
  });
});

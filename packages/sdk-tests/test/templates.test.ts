// Templates end to end through the SDK against a real server: a template with a typed schema and two
// roles, v1 published and previewed, a contract from it signed by two DIDs, v2 edited and published, a
// second contract from v2; each evidence bundle names its template version and verifies, and v1 still
// renders exactly as it did.
import { computeContentHash, sha256Hex, type TemplateVariables } from '@cms/sdk';
import { verifyEvidence } from '@cms/sdk/evm';
import { sharedTestServer, type TestServer } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DidKeyUser, didKeyUser, errorOf, ethereumUser } from './users.js';

let server: TestServer;
let owner: DidKeyUser, alice: DidKeyUser;
let bob: Awaited<ReturnType<typeof ethereumUser>>;
beforeAll(async () => {
  server = await sharedTestServer();
  [owner, alice, bob] = await Promise.all([didKeyUser(server.url), didKeyUser(server.url), ethereumUser(server.url)]);
});
afterAll(() => server?.close());

const schema = {
  type: 'object',
  required: ['effectiveDate', 'termMonths'],
  properties: {
    effectiveDate: { type: 'string', format: 'date', description: 'When the NDA starts' },
    termMonths: { type: 'integer', minimum: 1, maximum: 60 },
    jurisdiction: { type: 'string', enum: ['DE', 'FR', 'US-NY'], default: 'DE' },
  },
} as const;
type NdaVariables = TemplateVariables<typeof schema>;

const body = `# Mutual NDA

Between {{roles.Discloser.name}} and {{roles.Recipient.name}}, effective {{effectiveDate}}, for {{termMonths}} months under the law of {{jurisdiction}}.`;

describe('templates through the SDK', () => {
  it('creates, publishes, previews, creates and signs contracts from two versions that each verify', async () => {
    const template = await owner.client.templates.create({
      name: 'Mutual NDA',
      body,
      variables: schema as unknown as Record<string, unknown>,
      roles: [
        { key: 'Discloser', label: 'Disclosing party', signingOrder: 1 },
        { key: 'Recipient', label: 'Receiving party', signingOrder: 2 },
      ],
      tags: ['nda'],
    });
    const v1 = await owner.client.templates.publish(template.id, { ifMatch: template.revision });
    expect(v1.version).toBe(1);

    const variables: NdaVariables = { effectiveDate: '2030-01-01', termMonths: 24 };
    const parties = { Discloser: { did: alice.did, name: 'Alice' }, Recipient: { did: bob.did, name: 'Bob' } };
    const preview = await owner.client.templates.preview<NdaVariables>(template.id, { variables, parties });
    expect(preview.body).toBe(
      '# Mutual NDA\n\nBetween Alice and Bob, effective 2030-01-01, for 24 months under the law of DE.',
    );

    const first = await owner.client.contracts.createFromTemplate<NdaVariables>({
      template: { id: template.id, variables },
      parties,
    });
    expect(first.body).toBe(preview.body);
    expect(first.template).toMatchObject({
      id: template.id,
      version: 1,
      hash: v1.hash,
      bodySha256: await sha256Hex(preview.body),
    });
    expect(first.parties.map((p) => p.did)).toEqual([alice.did, bob.did]);
    await owner.client.contracts.send(first.id);
    await alice.client.contracts.sign(first.id, { signer: alice.signer });
    const executed = await bob.client.contracts.sign(first.id, { signer: bob.account });
    expect(executed.status).toBe('executed');

    const edited = await owner.client.templates.update(template.id, {
      body: `${body}\n\nNo assignment without consent.`,
    });
    const v2 = await owner.client.templates.publish(template.id, { ifMatch: edited.revision });
    expect(v2.version).toBe(2);
    const second = await owner.client.contracts.createFromTemplate<NdaVariables>({
      template: { id: template.id, variables: { ...variables, jurisdiction: 'FR' } },
      parties,
    });
    expect(second.template).toMatchObject({ version: 2, hash: v2.hash });
    expect(second.body).toContain('under the law of FR.\n\nNo assignment without consent.');

    for (const [contract, version] of [
      [first, v1],
      [second, v2],
    ] as const) {
      const bundle = await owner.client.contracts.evidence(contract.id);
      expect(bundle.contract.content.template).toMatchObject({
        id: template.id,
        version: version.version,
        hash: version.hash,
      });
      expect(bundle.template).toMatchObject({
        id: template.id,
        version: version.version,
        hash: version.hash,
        content: version.content,
      });
      const result = await verifyEvidence(bundle);
      expect(result.checks.filter((c) => !c.ok)).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.checks.find((c) => c.check === 'template.body')?.detail).toBe(
        `rendered body ${contract.template!.bodySha256}`,
      );
    }

    // v1 is immutable: it renders exactly as before, and the first contract still names it.
    const again = await owner.client.templates.preview<NdaVariables>(template.id, { version: 1, variables, parties });
    expect(again.body).toBe(preview.body);
    expect(again.hash).toBe(v1.hash);
    expect((await owner.client.contracts.get(first.id)).template?.version).toBe(1);

    // A bundle whose template text was swapped for v2's no longer verifies.
    const bundle = await owner.client.contracts.evidence(first.id);
    const forged = {
      ...bundle,
      template: { ...bundle.template!, content: { ...bundle.template!.content, body: v2.content.body } },
    };
    const failed = (await verifyEvidence(forged)).checks.filter((c) => !c.ok).map((c) => c.check);
    expect(failed).toEqual(expect.arrayContaining(['template.version', 'template.body']));
    expect(await computeContentHash(first)).toBe(first.contentHash);
  });

  it('refuses bad variables with a typed validation error naming each one', async () => {
    const template = await owner.client.templates.create({
      name: 'Strict',
      body: '{{termMonths}}',
      variables: schema as unknown as Record<string, unknown>,
    });
    await owner.client.templates.publish(template.id);
    const error = await errorOf(
      owner.client.contracts.createFromTemplate({
        template: { id: template.id, variables: { termMonths: 99, effectiveDate: 'soon', extra: 1 } },
        parties: {},
      }),
    );
    expect(error).toMatchObject({ status: 422, code: 'invalid_template_variables', name: 'CmsValidationError' });
    const paths = (error as { details: { errors: { path: string }[] } }).details.errors.map((e) => e.path).sort();
    expect(paths).toEqual([
      '/body/template/variables/effectiveDate',
      '/body/template/variables/extra',
      '/body/template/variables/termMonths',
    ]);
  });
});

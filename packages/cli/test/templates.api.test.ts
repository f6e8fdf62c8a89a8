// `cms templates import-starters` against a real server: the three starters are created and published
// once, each renders with sample values, and a contract is created from one.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';
import { sharedTestServer } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  server = await sharedTestServer();
});
afterAll(() => server?.close());

const samples: Record<string, Record<string, unknown>> = {
  'Mutual NDA': { effectiveDate: '2030-01-01', purpose: 'evaluating a joint venture' },
  'Services agreement': {
    services: 'managed hosting',
    startDate: '2030-02-01',
    monthlyFee: 1500,
    deliverables: [{ title: 'Migration plan', dueDate: '2030-02-15' }],
  },
  'Sales order': {
    orderNumber: 'SO-0042',
    items: [{ description: 'Widget', quantity: 10, unitPrice: 9.5 }],
    total: 95,
    paymentDueDate: '2030-03-01',
    deliveryAddress: '1 Main St, Berlin',
  },
};

describe('cms templates import-starters', () => {
  it('imports and publishes the starters once, and each renders', async () => {
    const configDir = await tempDir();
    const env = { CMS_CONFIG_DIR: configDir };
    expect((await runCli(['keys', 'generate'], env)).code).toBe(0);
    expect((await runCli(['login', '--server', server.url], env)).code).toBe(0);
    const first = await runCli(['--server', server.url, 'templates', 'import-starters', '--json'], env);
    expect(first, first.stderr).toMatchObject({ code: 0, stderr: '' });
    const imported = JSON.parse(first.stdout) as { name: string; id: string; version: number; imported: boolean }[];
    expect(imported.map((r) => [r.name, r.version, r.imported])).toEqual([
      ['Mutual NDA', 1, true],
      ['Services agreement', 1, true],
      ['Sales order', 1, true],
    ]);
    const again = await runCli(['--server', server.url, 'templates', 'import-starters'], env);
    expect(again.stdout).toBe(
      'Skipped Mutual NDA: already imported\nSkipped Services agreement: already imported\nSkipped Sales order: already imported\n',
    );

    // The same user through the SDK, with the key the CLI generated.
    const key = JSON.parse(await readFile(join(configDir, 'key.json'), 'utf8')) as { privateKey: string };
    const sdk = createCmsClient({ baseUrl: server.url });
    await sdk.auth.login(await didKeySigner(key.privateKey));
    for (const r of imported) {
      const preview = await sdk.templates.preview(r.id, { variables: samples[r.name] });
      expect(preview.body.length, r.name).toBeGreaterThan(100);
    }
    const nda = imported[0]!;
    const [a, b] = await Promise.all([generateDidKey(), generateDidKey()]);
    const contract = await sdk.contracts.createFromTemplate({
      template: { id: nda.id, variables: samples['Mutual NDA']! },
      parties: { PartyA: { did: a.did, name: 'ACME' }, PartyB: { did: b.did, name: 'Globex' } },
    });
    expect(contract.body).toContain('between **ACME** and **Globex**');
    expect(contract.body).toContain('for 24 months from the date of this Agreement, and for 3 years after it ends.');
    expect(contract.body).toContain('governed by the law of Germany.');
    const listed = await runCli(['--server', server.url, 'templates', 'list', '--tag', 'starter'], env);
    expect(listed.stdout).toContain('published');
  });
});

import { createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';

const cms = createCmsClient({ baseUrl: process.env.CMS_SERVER ?? 'http://localhost:8080' });

// A new identity: the private key stays in this process; only signatures leave it.
const key = await generateDidKey();
await cms.auth.login(await didKeySigner(key.privateKey));

const created = await cms.contracts.create({
  title: 'Mutual NDA',
  terms: { jurisdiction: 'DE', durationMonths: 24 },
  parties: [{ did: key.did, role: 'signer', name: 'Me' }],
});
const fetched = await cms.contracts.get(created.id);
const { data } = await cms.contracts.list({ limit: 10 });

console.log(`${fetched.id} ${fetched.status} ${fetched.contentHash} listed=${data.some((c) => c.id === created.id)}`);

// An SDK client logged in as a fresh did:key, i.e. a user in a fresh organization with no contracts.
import { createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';

export async function loggedInClient(baseUrl: string) {
  const key = await generateDidKey();
  const client = createCmsClient({ baseUrl });
  const token = await client.auth.login(await didKeySigner(key.privateKey));
  return { client, key, token };
}

// Users for the tests: each a fresh identity logged in through the SDK, as a third-party app would.
import { type CmsClient, createCmsClient, type DidSigner, didKeySigner, generateDidKey } from '@cms/sdk';
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';

export interface DidKeyUser {
  client: CmsClient;
  did: string;
  signer: DidSigner;
}

/** A new did:key (Ed25519) user, logged in. */
export async function didKeyUser(baseUrl: string): Promise<DidKeyUser> {
  const key = await generateDidKey();
  const signer = await didKeySigner(key.privateKey);
  const client = createCmsClient({ baseUrl });
  await client.auth.login(signer);
  return { client, did: key.did, signer };
}

/** A new Ethereum account (did:pkh, Sign-In with Ethereum), logged in. */
export async function ethereumUser(
  baseUrl: string,
): Promise<{ client: CmsClient; did: string; account: PrivateKeyAccount }> {
  const account = privateKeyToAccount(generatePrivateKey());
  const client = createCmsClient({ baseUrl });
  const token = await client.auth.login(account);
  return { client, did: token.did, account };
}

/** The error a promise rejects with (or undefined when it resolves). */
export const errorOf = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

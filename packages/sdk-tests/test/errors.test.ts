// The server's problems arrive as typed SDK errors carrying the code, the request id and the docs page.
import {
  CmsConflictError,
  CmsError,
  CmsNotFoundError,
  CmsPermissionError,
  CmsValidationError,
  createCmsClient,
  isCmsError,
} from '@cms/sdk';
import { sharedTestServer, type TestServer } from '@cms/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DidKeyUser, didKeyUser, errorOf } from './users.js';

let server: TestServer;
let owner: DidKeyUser, stranger: DidKeyUser;
beforeAll(async () => {
  server = await sharedTestServer();
  [owner, stranger] = await Promise.all([didKeyUser(server.url), didKeyUser(server.url)]);
});
afterAll(() => server?.close());

const expectTyped = (error: unknown, Class: typeof CmsError, fields: Record<string, unknown>) => {
  expect(error).toBeInstanceOf(Class);
  expect(isCmsError(error)).toBe(true);
  expect(error).toMatchObject({
    name: Class.name,
    requestId: expect.stringMatching(/\S/),
    docsPath: `docs/errors/${fields.code}.md`,
    ...fields,
  });
};

it('404: a contract that does not exist, or of another organization', async () => {
  const mine = await owner.client.contracts.create({ title: 'Private' });
  expectTyped(await errorOf(stranger.client.contracts.get(mine.id)), CmsNotFoundError, {
    status: 404,
    code: 'not_found',
  });
  expectTyped(await errorOf(owner.client.contracts.get('0190f2a0-0000-7000-8000-000000000000')), CmsNotFoundError, {
    status: 404,
    code: 'not_found',
  });
});

it('403: an organization operation beyond the caller’s role', async () => {
  const org = (await owner.client.organizations.list())[0]!;
  const invitation = await owner.client.invitations.create(org.id, { did: stranger.did, role: 'viewer' });
  await stranger.client.invitations.accept(invitation.id, stranger.signer);
  await stranger.client.auth.refresh({ organizationId: org.id });
  expectTyped(await errorOf(stranger.client.contracts.create({ title: 'Not allowed' })), CmsPermissionError, {
    status: 403,
    code: 'forbidden',
  });
});

it('409: a transition the contract’s status does not allow', async () => {
  const c = await owner.client.contracts.create({ title: 'Draft' });
  expectTyped(await errorOf(owner.client.contracts.terminate(c.id, 'not executed')), CmsConflictError, {
    status: 409,
    code: 'invalid_transition',
  });
});

it('422: a request that does not match the API schema, with the field at fault', async () => {
  const error = await errorOf(owner.client.contracts.create({ title: '' } as never));
  expectTyped(error, CmsValidationError, { status: 422, code: 'validation_failed' });
  expect((error as CmsValidationError).details?.errors?.length).toBeGreaterThan(0);
});

it('401: no login at all', async () => {
  expectTyped(await errorOf(createCmsClient({ baseUrl: server.url }).me.get()), CmsError, {
    status: 401,
    code: 'unauthenticated',
    name: 'CmsAuthenticationError',
  });
});

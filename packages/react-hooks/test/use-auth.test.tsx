// useAuth against a real server: login/logout state, and no user's data outliving their session.
import { type ContractList, createCmsClient, type DidSigner, didKeySigner, generateDidKey } from '@cms/sdk';
import type { InfiniteData } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cmsKeys, useAuth, useContracts } from '../src/index.js';
import { cmsWrapper } from './support/cms-wrapper.js';
import { type CmsTestServer, startCmsServer } from './support/start-cms-server.js';

let server: CmsTestServer;
beforeAll(async () => {
  server = await startCmsServer();
});
afterAll(() => server?.close());
afterEach(cleanup);

const titlesOf = (data: InfiniteData<ContractList> | undefined) =>
  data?.pages.flatMap((page) => page.data.map((c) => c.title));

async function newSigner(): Promise<DidSigner> {
  return didKeySigner((await generateDidKey()).privateKey);
}

/** A new user who already has one contract, created through another client. */
async function signerWithContract(title: string): Promise<DidSigner> {
  const signer = await newSigner();
  const other = createCmsClient({ baseUrl: server.url });
  await other.auth.login(signer);
  await other.contracts.create({ title });
  return signer;
}

/** Renders useAuth next to a contract list, recording the titles every render showed. */
function renderSession(wrapper: ReturnType<typeof cmsWrapper>['wrapper'], gated: boolean) {
  const shown: (string[] | undefined)[] = [];
  const view = renderHook(
    () => {
      const auth = useAuth();
      const list = useContracts({}, gated ? { enabled: auth.isAuthenticated } : undefined);
      shown.push(titlesOf(list.data));
      return { auth, list };
    },
    { wrapper },
  );
  return { ...view, shown };
}

describe('useAuth', () => {
  it('starts logged out, and logs in and out', async () => {
    const client = createCmsClient({ baseUrl: server.url });
    const { wrapper } = cmsWrapper(client);
    const { result } = renderHook(() => useAuth(), { wrapper });
    expect(result.current).toMatchObject({ isAuthenticated: false, did: undefined });

    const signer = await newSigner();
    const token = await act(() => result.current.login(signer));
    expect(token.did).toBe(signer.did);
    expect(result.current).toMatchObject({ isAuthenticated: true, did: signer.did });
    expect(client.auth.accessToken).toBe(token.accessToken);

    act(() => result.current.logout());
    expect(result.current).toMatchObject({ isAuthenticated: false, did: undefined });
    expect(client.auth.accessToken).toBeUndefined();
  });

  it('counts a client created with an access token as authenticated, DID unknown', async () => {
    const other = createCmsClient({ baseUrl: server.url });
    const { accessToken } = await other.auth.login(await newSigner());
    const { wrapper } = cmsWrapper(createCmsClient({ baseUrl: server.url, accessToken }));
    const { result } = renderHook(() => useAuth(), { wrapper });
    expect(result.current).toMatchObject({ isAuthenticated: true, did: undefined });
  });

  it('clears cached data on logout, so the next user never sees it', async () => {
    const client = createCmsClient({ baseUrl: server.url });
    const { queryClient, wrapper } = cmsWrapper(client);
    const { result, shown } = renderSession(wrapper, true);

    const alice = await signerWithContract('Alice’s secret');
    await act(() => result.current.auth.login(alice));
    await waitFor(() => expect(titlesOf(result.current.list.data)).toEqual(['Alice’s secret']));

    act(() => result.current.auth.logout());
    const afterLogout = shown.length - 1; // the render that logout caused
    expect(result.current.list.data).toBeUndefined();
    expect(queryClient.getQueryData(cmsKeys.contracts.list())).toBeUndefined();
    // The still-mounted (now disabled) list re-creates its query, empty.
    expect(
      queryClient
        .getQueryCache()
        .getAll()
        .map((q) => q.state.data),
    ).toEqual([undefined]);

    const bob = await newSigner();
    await act(() => result.current.auth.login(bob));
    expect(result.current.auth.did).toBe(bob.did);
    await waitFor(() => expect(result.current.list.isSuccess).toBe(true));
    expect(titlesOf(result.current.list.data)).toEqual([]);
    expect(shown.slice(afterLogout).flat()).not.toContain('Alice’s secret');
  });

  it('drops the previous user’s data when another user logs in without logging out', async () => {
    const client = createCmsClient({ baseUrl: server.url });
    const { wrapper } = cmsWrapper(client);
    const { result, shown } = renderSession(wrapper, false);

    const alice = await signerWithContract('Alice’s secret');
    await act(() => result.current.auth.login(alice));
    await waitFor(() => expect(titlesOf(result.current.list.data)).toEqual(['Alice’s secret']));

    const rendersBefore = shown.length;
    const bob = await newSigner();
    await act(() => result.current.auth.login(bob));
    await waitFor(() => expect(titlesOf(result.current.list.data)).toEqual([]));
    expect(shown.slice(rendersBefore).flat()).not.toContain('Alice’s secret');
  });
});

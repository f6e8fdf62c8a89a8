// useContracts, useContract and useCreateContract against a real server.
import { CmsNotFoundError, type Contract, type ContractList } from '@cms/sdk';
import type { InfiniteData } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cmsKeys, useContract, useContracts, useCreateContract } from '../src/index.js';
import { cmsWrapper } from './support/cms-wrapper.js';
import { loggedInClient } from './support/logged-in-client.js';
import { type CmsTestServer, startCmsServer } from './support/start-cms-server.js';

let server: CmsTestServer;
beforeAll(async () => {
  server = await startCmsServer();
});
afterAll(() => server?.close());
afterEach(cleanup);

const idsOf = (data: InfiniteData<ContractList> | undefined) =>
  data?.pages.flatMap((page) => page.data.map((c) => c.id));

describe('useCreateContract', () => {
  it('creates a contract, refreshes a mounted list and caches the contract', async () => {
    const { client, key } = await loggedInClient(server.url);
    const { queryClient, wrapper } = cmsWrapper(client);
    const { result } = renderHook(() => ({ list: useContracts(), create: useCreateContract() }), { wrapper });
    await waitFor(() => expect(result.current.list.isSuccess).toBe(true));
    expect(idsOf(result.current.list.data)).toEqual([]);

    let created!: Contract;
    await act(async () => {
      created = await result.current.create.mutateAsync({ title: 'Mutual NDA', terms: { jurisdiction: 'DE' } });
    });
    expect(created).toMatchObject({ title: 'Mutual NDA', status: 'draft', createdBy: key.did });
    // No focus, mount or timer refetches the list here: only the invalidation can bring the contract in.
    await waitFor(() => expect(idsOf(result.current.list.data)).toEqual([created.id]));
    expect(result.current.create.data).toEqual(created);

    expect(queryClient.getQueryData(cmsKeys.contracts.detail(created.id))).toEqual(created);
    const detail = renderHook(() => useContract(created.id), { wrapper });
    expect(detail.result.current.data).toEqual(created); // from the seeded cache, before any request
  });

  it('surfaces a validation error and leaves the list alone', async () => {
    const { client } = await loggedInClient(server.url);
    const { wrapper } = cmsWrapper(client);
    const { result } = renderHook(() => ({ list: useContracts(), create: useCreateContract() }), { wrapper });
    await waitFor(() => expect(result.current.list.isSuccess).toBe(true));

    act(() => result.current.create.mutate({ title: '' }));
    await waitFor(() => expect(result.current.create.isError).toBe(true));
    expect(result.current.create.error).toMatchObject({ name: 'CmsValidationError', status: expect.any(Number) });
    expect(idsOf(result.current.list.data)).toEqual([]);
  });
});

describe('useContracts', () => {
  it('pages through contracts newest first with fetchNextPage', async () => {
    const { client } = await loggedInClient(server.url);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await client.contracts.create({ title: `C${i}` })).id);
    const newestFirst = [...ids].reverse();
    const { wrapper } = cmsWrapper(client);

    const { result } = renderHook(() => useContracts({ limit: 2 }), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data!.pages).toHaveLength(1);
    expect(idsOf(result.current.data)).toEqual(newestFirst.slice(0, 2));
    expect(result.current.hasNextPage).toBe(true);

    // TanStack notifies observers on a timer after the fetch settles, hence waitFor after each page.
    await act(() => result.current.fetchNextPage());
    await waitFor(() => expect(idsOf(result.current.data)).toEqual(newestFirst.slice(0, 4)));
    expect(result.current.hasNextPage).toBe(true);

    await act(() => result.current.fetchNextPage());
    await waitFor(() => expect(result.current.data!.pages.map((page) => page.data.length)).toEqual([2, 2, 1]));
    expect(idsOf(result.current.data)).toEqual(newestFirst);
    expect(result.current.hasNextPage).toBe(false);
  });

  it('passes filters to the server and caches each filter under its own key', async () => {
    const { client } = await loggedInClient(server.url);
    await client.contracts.create({ title: 'a draft' });
    const { queryClient, wrapper } = cmsWrapper(client);

    const { result } = renderHook(
      () => ({ drafts: useContracts({ status: 'draft' }), executed: useContracts({ status: 'executed' }) }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.drafts.isSuccess && result.current.executed.isSuccess).toBe(true));
    expect(result.current.drafts.data!.pages[0]!.data.map((c) => c.title)).toEqual(['a draft']);
    expect(idsOf(result.current.executed.data)).toEqual([]);
    expect(queryClient.getQueryData(cmsKeys.contracts.list({ status: 'executed' }))).toEqual(
      result.current.executed.data,
    );
  });
});

describe('useContract', () => {
  it('shows a contract', async () => {
    const { client } = await loggedInClient(server.url);
    const created = await client.contracts.create({ title: 'Lease', description: 'Flat 3B' });
    const { wrapper } = cmsWrapper(client);

    const { result } = renderHook(() => useContract(created.id), { wrapper });
    expect(result.current.isPending).toBe(true);
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data).toEqual(created);
  });

  it('surfaces CmsNotFoundError for an unknown id, without retrying', async () => {
    const { client } = await loggedInClient(server.url);
    const { wrapper } = cmsWrapper(client);

    const { result } = renderHook(() => useContract('01920000-0000-7000-8000-000000000000'), { wrapper });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(CmsNotFoundError);
    expect(result.current.error).toMatchObject({ status: 404, code: 'not_found' });
    expect(result.current.failureCount).toBe(1);
  });

  it('hides another organization’s contract as not found', async () => {
    const alice = await loggedInClient(server.url);
    const bob = await loggedInClient(server.url);
    const secret = await alice.client.contracts.create({ title: 'Alice only' });
    const { wrapper } = cmsWrapper(bob.client);

    const { result } = renderHook(() => useContract(secret.id), { wrapper });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(CmsNotFoundError);
    expect(result.current.data).toBeUndefined();
  });
});
